package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Channel presence through ably-java 1.5.0, JSON and msgpack. The test server's presence grace is 2 s. */
class AblyJavaPresenceTest {
    static TestServer server;
    final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.syncPageSize(500).maxInboundRate(5000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(AblyRealtime::close);
    }

    AblyRealtime client(int port, boolean binary, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(port, TestServer.KEY, binary, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    static Channel attached(AblyRealtime rt, String name) {
        return AblyJava.attached(rt, name);
    }

    static PresenceMessage[] members(Channel ch) {
        return AblyJava.members(ch);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void enterUpdateLeaveAreSeenByOthers(boolean binary) throws Exception {
        String name = "presence-basic-" + binary;
        AblyRealtime alice = client(server.port(), binary, "alice");
        AblyRealtime bob = client(server.port(), !binary, "bob");
        Channel bobCh = attached(bob, name);
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        bobCh.presence.subscribe(seen::add);

        Channel aliceCh = attached(alice, name);
        Completion enter = new Completion();
        aliceCh.presence.enter("hello", enter);
        enter.ok();
        Completion update = new Completion();
        aliceCh.presence.update("away", update);
        update.ok();
        Await.until(() -> seen.size() == 2, "enter and update");
        assertThat(members(bobCh)).extracting(m -> m.clientId).containsExactly("alice");
        Completion leave = new Completion();
        aliceCh.presence.leave(leave);
        leave.ok();
        Await.until(() -> seen.size() == 3, "leave");

        assertThat(seen).extracting(m -> m.action).containsExactly(
                PresenceMessage.Action.enter, PresenceMessage.Action.update, PresenceMessage.Action.leave);
        assertThat(seen).extracting(m -> m.clientId).containsOnly("alice");
        assertThat(seen).extracting(m -> m.connectionId).containsOnly(alice.connection.id);
        assertThat(seen.get(0).data).isEqualTo("hello");
        // The leave carries the member's last data when the leave itself has none.
        assertThat(seen.get(2).data).isEqualTo("away");
        assertThat(seen.get(0).id).startsWith(alice.connection.id + ":");
        assertThat(members(bobCh)).isEmpty();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void lateJoinerGetsPresentMembersAndFilters(boolean binary) throws Exception {
        String name = "presence-late-" + binary;
        AblyRealtime a1 = client(server.port(), binary, "carol");
        AblyRealtime a2 = client(server.port(), binary, "carol");
        AblyRealtime d = client(server.port(), binary, "dave");
        for (AblyRealtime rt : List.of(a1, a2, d)) {
            Completion c = new Completion();
            attached(rt, name).presence.enter("data-" + rt.connection.id, c);
            c.ok();
        }
        AblyRealtime late = client(server.port(), !binary, "late");
        Channel ch = attached(late, name);
        PresenceMessage[] all = members(ch);
        // One user on two connections is two members.
        assertThat(all).hasSize(3);
        assertThat(all).extracting(m -> m.action).containsOnly(PresenceMessage.Action.present);
        try {
            assertThat(ch.presence.get(new Param("clientId", "carol"))).hasSize(2);
            assertThat(ch.presence.get(new Param("connectionId", d.connection.id)))
                    .extracting(m -> m.clientId).containsExactly("dave");
        } catch (io.ably.lib.types.AblyException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void withoutPresenceCapabilityEnterIs40160(boolean binary) throws Exception {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.LIMITED_KEY, binary, o -> o.clientId = "nope"));
        clients.add(rt);
        Channel ch = attached(rt, "presence-denied-" + binary);
        Completion enter = new Completion();
        ch.presence.enter("x", enter);
        ErrorInfo err = enter.error();
        assertThat(err).isNotNull();
        assertThat(err.code).isEqualTo(40160);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void droppedTransportResumesWithNoLeaveEnterFlap(boolean binary) throws Exception {
        String name = "presence-resume-" + binary;
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            AblyRealtime flaky = client(proxy.port(), binary, "flaky");
            AblyRealtime watcher = client(server.port(), binary, "watcher");
            Channel watch = attached(watcher, name);
            List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
            watch.presence.subscribe(seen::add);
            Channel ch = attached(flaky, name);
            Completion enter = new Completion();
            ch.presence.enter("here", enter);
            enter.ok();
            Await.until(() -> seen.size() == 1, "enter seen");
            String id = flaky.connection.id;

            java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean reconnected = new java.util.concurrent.atomic.AtomicBoolean();
            flaky.connection.on(change -> {
                if (change.current == io.ably.lib.realtime.ConnectionState.disconnected) {
                    dropped.set(true);
                } else if (change.current == io.ably.lib.realtime.ConnectionState.connected && dropped.get()) {
                    reconnected.set(true);
                }
            });
            proxy.cut();
            Await.until(() -> reconnected.get() && ch.state == io.ably.lib.realtime.ChannelState.attached,
                    "dropped, resumed and re-attached");
            assertThat(flaky.connection.id).isEqualTo(id);
            // A marker event after the resume: everything before it has been delivered to the watcher.
            Completion update = new Completion();
            ch.presence.update("still here", update);
            update.ok();
            Await.until(() -> seen.size() >= 2, "marker update");
            assertThat(seen).extracting(m -> m.action)
                    .containsExactly(PresenceMessage.Action.enter, PresenceMessage.Action.update);
        }
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void vanishedClientLeavesAfterTheGracePeriodAndNotBefore(boolean binary) throws Exception {
        String name = "presence-vanish-" + binary;
        long grace = server.rollcall().node().limits().presenceGrace().toMillis();
        AblyRealtime watcher = client(server.port(), binary, "watcher");
        Channel watch = attached(watcher, name);
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        List<Long> seenAt = new CopyOnWriteArrayList<>();
        watch.presence.subscribe(m -> { seen.add(m); seenAt.add(System.nanoTime()); });
        long cutAt;
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            AblyRealtime ghost = client(proxy.port(), binary, "ghost");
            Completion enter = new Completion();
            attached(ghost, name).presence.enter("boo", enter);
            enter.ok();
            Await.until(() -> seen.size() == 1, "enter seen");
            cutAt = System.nanoTime();
            // Closing the proxy cuts the socket and refuses reconnects: the client vanishes without CLOSE.
        }
        Await.until(() -> seen.size() == 2, "synthesized leave");
        long elapsedMs = (seenAt.get(1) - cutAt) / 1_000_000;
        assertThat(seen.get(1).action).isEqualTo(PresenceMessage.Action.leave);
        assertThat(seen.get(1).clientId).isEqualTo("ghost");
        assertThat(seen.get(1).data).isEqualTo("boo");
        assertThat(elapsedMs).as("leave only after the grace period").isGreaterThanOrEqualTo(grace);
        assertThat(members(watch)).isEmpty();
    }

    /**
     * A client away longer than the grace period but within the connection state ttl: its member leaves, its
     * connection resumes (re-attached without RESUMED), and the SDK re-enters by itself; the same user's
     * member on another connection is never touched.
     */
    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void aClientBackAfterTheGracePeriodReentersWithoutReplacingOtherConnectionsMembers(boolean binary) throws Exception {
        String name = "presence-reenter-" + binary;
        AblyRealtime watcher = client(server.port(), binary, "watcher");
        Channel watch = attached(watcher, name);
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        watch.presence.subscribe(seen::add);
        AblyRealtime steady = client(server.port(), binary, "dora");
        Completion e1 = new Completion();
        attached(steady, name).presence.enter("steady", e1);
        e1.ok();
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            AblyRealtime roaming = AblyJava.connected(AblyJava.realtime(proxy.port(), TestServer.KEY, binary, o -> {
                o.clientId = "dora";
                o.disconnectedRetryTimeout = 100;
            }));
            clients.add(roaming);
            Channel ch = attached(roaming, name);
            Completion e2 = new Completion();
            ch.presence.enter("roaming", e2);
            e2.ok();
            String oldId = roaming.connection.id;
            Await.until(() -> seen.size() == 2, "two enters");

            proxy.refuse(true);
            proxy.cut();
            Await.until(() -> seen.size() == 3, "the roaming member left after the grace period");
            assertThat(seen.get(2).action).isEqualTo(PresenceMessage.Action.leave);
            assertThat(seen.get(2).connectionId).isEqualTo(oldId);
            proxy.refuse(false);

            Await.until(() -> roaming.connection.state == io.ably.lib.realtime.ConnectionState.connected, "resumed");
            assertThat(roaming.connection.id).as("the same connection, within connectionStateTtl").isEqualTo(oldId);
            Await.until(() -> seen.size() == 4, "automatic re-enter");
            assertThat(seen.get(3).action).isEqualTo(PresenceMessage.Action.enter);
            assertThat(seen.get(3).connectionId).isEqualTo(roaming.connection.id);
            assertThat(seen.get(3).data).isEqualTo("roaming");
            PresenceMessage[] now = members(watch);
            assertThat(now).extracting(m -> m.connectionId + "/" + m.data).containsExactlyInAnyOrder(
                    steady.connection.id + "/steady", roaming.connection.id + "/roaming");
            assertThat(seen).noneMatch(m -> m.connectionId.equals(steady.connection.id) && m.action == PresenceMessage.Action.leave);
        }
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void detachLeavesAtOnce(boolean binary) throws Exception {
        String name = "presence-detach-" + binary;
        AblyRealtime watcher = client(server.port(), binary, "watcher");
        Channel watch = attached(watcher, name);
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        watch.presence.subscribe(seen::add);
        AblyRealtime leaver = client(server.port(), binary, "leaver");
        Channel ch = attached(leaver, name);
        Completion enter = new Completion();
        ch.presence.enter(null, enter);
        enter.ok();
        Completion detach = new Completion();
        ch.detach(detach);
        detach.ok();
        Await.until(() -> seen.size() == 2, "leave after detach");
        assertThat(seen.get(1).action).isEqualTo(PresenceMessage.Action.leave);
    }

    /** The mechanism at scale: 2,000 members through a wildcard connection, synced in pages to a late joiner. */
    @Test
    void twoThousandMembersSyncToALateJoinerInPages() throws Exception {
        String name = "presence-2000";
        AblyRealtime bulk = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, true, o -> { }));
        clients.add(bulk);
        Channel ch = attached(bulk, name);
        List<Completion> entered = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Completion c = new Completion();
            ch.presence.enterClient("user-" + i, "d" + i, c);
            entered.add(c);
        }
        entered.forEach(Completion::ok);
        for (boolean binary : new boolean[] {false, true}) {
            AblyRealtime late = client(server.port(), binary, "late-" + binary);
            PresenceMessage[] all = members(attached(late, name));
            assertThat(all).hasSize(2000);
            assertThat(Arrays.stream(all).map(m -> m.clientId).distinct().count()).isEqualTo(2000);
        }
    }
}
