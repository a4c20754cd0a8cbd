package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis goes away for longer than a node lease and comes back, restarted empty or merely unreachable
 * meanwhile (through a proxy that refuses connections, its data kept but stale). Local clients are served
 * throughout; afterwards every node agrees again, and members whose connections never dropped never flap.
 */
class ClusterOutageTest {
    TestCluster cluster;
    final List<AblyRealtime> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(AblyRealtime::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    AblyRealtime client(int node, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(cluster.port(node), TestServer.KEY, node == 0, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    static List<String> ids(PresenceMessage[] members) {
        return Arrays.stream(members).map(m -> m.clientId).sorted().toList();
    }

    static List<String> described(List<PresenceMessage> events) {
        return events.stream().map(m -> m.action + ":" + m.clientId).toList();
    }

    @ParameterizedTest(name = "restarted={0}")
    @ValueSource(booleans = {true, false})
    void nodesServeLocallyThroughAnOutageAndConvergeAfterIt(boolean restarted) throws Exception {
        cluster = TestCluster.start(3, l -> l.presenceGrace(Duration.ofSeconds(60)), !restarted);
        String name = "outage-" + restarted;
        AblyJava.enter(AblyJava.attached(client(0, "alice"), name), "a");
        AblyJava.enter(AblyJava.attached(client(1, "bob"), name), "b");
        Channel dave = AblyJava.attached(client(1, "dave"), name);
        AblyJava.enter(dave, "d");
        AblyJava.enter(AblyJava.attached(client(2, "frank"), name), "f");
        Channel w0 = AblyJava.attached(client(0, "w0"), name);
        Channel w1 = AblyJava.attached(client(1, "w1"), name);
        for (Channel w : List.of(w0, w1)) {
            Await.until(() -> AblyJava.members(w).length == 4, "four members seen from both nodes");
        }
        List<PresenceMessage> e0 = new CopyOnWriteArrayList<>();
        List<PresenceMessage> e1 = new CopyOnWriteArrayList<>();
        w0.presence.subscribe(e0::add);
        w1.presence.subscribe(e1::add);
        List<Message> m0 = new CopyOnWriteArrayList<>();
        w0.subscribe(m0::add);

        long outageStart = System.currentTimeMillis();
        cluster.loseRedis();

        // The third node goes away meanwhile: it cannot tell anyone, and (restarted) Redis will have no trace of it.
        cluster.stopNode(2);

        // Local clients are served as before.
        Channel erin = AblyJava.attached(client(0, "erin"), name);
        AblyJava.enter(erin, "e");
        erin.publish("during", "local", null);
        Completion leave = new Completion();
        dave.presence.leave(leave);
        leave.ok();
        Await.until(() -> m0.stream().anyMatch(m -> m.name.equals("during")), "a local message during the outage");
        Await.until(() -> described(e0).contains("enter:erin") && described(e1).contains("leave:dave"), "local presence during the outage");

        // The outage outlasts the lease: every lease in Redis has run out by the time it is back.
        Await.until(() -> System.currentTimeMillis() - outageStart > 2 * TestCluster.LEASE.toMillis(), "an outage longer than the lease");
        cluster.regainRedis();
        Await.until(() -> cluster.metric(0, "rollcall_cluster_resyncs_total") >= 1 && cluster.metric(1, "rollcall_cluster_resyncs_total") >= 1,
                "both nodes reconnected and re-read their channels");
        for (Channel w : List.of(w0, w1)) {
            Await.until(() -> ids(AblyJava.members(w)).equals(List.of("alice", "bob", "erin")), "every node agrees on the members");
        }
        for (int node = 0; node < 2; node++) {
            AblyRest rest = AblyJava.rest(cluster.port(node), TestServer.KEY, false);
            Await.value(() -> ids(rest.channels.get(name).presence.get(null).items()),
                    l -> l.equals(List.of("alice", "bob", "erin")), "REST presence agrees");
        }
        // What happened on the other side of the outage arrives once, the vanished node's member leaves once,
        // and members that never dropped never flap.
        assertThat(described(e0)).containsExactlyInAnyOrder("enter:erin", "leave:dave", "leave:frank");
        assertThat(described(e1)).containsExactlyInAnyOrder("leave:dave", "enter:erin", "leave:frank");

        // Cross-node traffic flows again, and a late joiner syncs everyone.
        Channel late = AblyJava.attached(client(1, "late"), name);
        assertThat(ids(Await.value(() -> AblyJava.members(late), m -> m.length == 3, "late joiner sync"))).containsExactly("alice", "bob", "erin");
        AblyJava.attached(client(1, "after"), name).publish("after", "cross-node", null);
        Await.until(() -> m0.stream().anyMatch(m -> m.name.equals("after")), "a cross-node message after the outage");
        assertThat(cluster.metric(0, "rollcall_redis_reconnects_total")).isGreaterThanOrEqualTo(1);
        // Restarted, Redis forgot the vanished node and the re-read removed its member; kept, its lease ran out
        // and one node reaped it. No live node was ever taken for dead.
        assertThat(cluster.metric(0, "rollcall_cluster_nodes_reaped_total") + cluster.metric(1, "rollcall_cluster_nodes_reaped_total"))
                .isEqualTo(restarted ? 0 : 1);
    }
}
