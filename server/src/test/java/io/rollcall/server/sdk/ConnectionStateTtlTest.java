package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connection state outlives the presence grace period (Ably's connectionStateTtl, here 6 s against a 1 s
 * grace): a client back after the grace period resumes the same connection and gets every message published
 * meanwhile exactly once, while its members left at the grace period; past the ttl a resume is 80008.
 */
class ConnectionStateTtlTest {
    static final String KEY_PARAM = "key=" + TestServer.KEY;
    static TestServer server;
    final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.presenceGrace(Duration.ofSeconds(1)).connectionStateTtl(Duration.ofSeconds(6)));
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
        AblyRealtime rt = AblyJava.realtime(port, TestServer.KEY, binary, o -> {
            o.clientId = clientId;
            o.disconnectedRetryTimeout = 200;
        });
        clients.add(rt);
        return AblyJava.connected(rt);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void aClientBackAfterTheGracePeriodResumesAndGetsEveryMessageOnce(boolean binary) throws Exception {
        String name = "ttl-resume-" + binary;
        AblyRealtime watcher = client(server.port(), binary, "watcher");
        Channel watch = AblyJava.attached(watcher, name);
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        watch.presence.subscribe(seen::add);
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            AblyRealtime away = client(proxy.port(), binary, "away");
            Channel ch = away.channels.get(name);
            List<String> got = new CopyOnWriteArrayList<>();
            ch.subscribe(m -> got.add((String) m.data));
            AblyJava.attached(away, name);
            AblyJava.enter(ch, "here");
            String id = away.connection.id;
            Await.until(() -> seen.size() == 1, "enter");

            proxy.refuse(true);
            proxy.cut();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Completion c = new Completion();
                watch.publish("n", "before-leave-" + i, c);
                c.ok();
                sent.add("before-leave-" + i);
            }
            Await.until(() -> seen.size() == 2, "its member left after the grace period");
            assertThat(seen.get(1).action).isEqualTo(PresenceMessage.Action.leave);
            for (int i = 0; i < 5; i++) {
                Completion c = new Completion();
                watch.publish("n", "after-leave-" + i, c);
                c.ok();
                sent.add("after-leave-" + i);
            }
            assertThat(server.rollcall().node().connections()).anyMatch(c -> c.id().equals(id));
            proxy.refuse(false);

            Await.until(() -> got.size() >= sent.size() && away.connection.state == ConnectionState.connected,
                    "resumed with everything published meanwhile");
            assertThat(away.connection.id).isEqualTo(id);
            assertThat(got).containsExactlyElementsOf(sent);
            Await.until(() -> seen.size() == 3, "re-entered on the resumed connection");
            assertThat(seen.get(2).action).isEqualTo(PresenceMessage.Action.enter);
            assertThat(seen.get(2).connectionId).isEqualTo(id);
            Completion c = new Completion();
            watch.publish("n", "live", c);
            c.ok();
            Await.until(() -> got.size() == sent.size() + 1, "live again");
            assertThat(got).hasSize(sent.size() + 1).endsWith("live");
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void aResumeAfterTheGracePeriodKeepsTheConnectionAndPastTheTtlIs80008(boolean msgpack) {
        String id;
        String key;
        try (RawSocket first = RawSocket.open(server.port(), KEY_PARAM, msgpack)) {
            JsonNode connected = first.next(4);
            id = connected.path("connectionId").asText();
            key = connected.path("connectionDetails").path("connectionKey").asText();
            assertThat(connected.path("connectionDetails").path("connectionStateTtl").asLong()).isEqualTo(6000);
        }
        long droppedAt = System.nanoTime();
        Await.until(() -> System.nanoTime() - droppedAt > 1_500_000_000L, "past the presence grace");
        try (RawSocket again = RawSocket.open(server.port(), KEY_PARAM + "&resume=" + key, msgpack)) {
            JsonNode connected = again.next(4);
            assertThat(connected.path("connectionId").asText()).isEqualTo(id);
            assertThat(connected.path("error").isMissingNode() || connected.path("error").isNull()).isTrue();
        }
        Await.until(() -> server.rollcall().node().connections().stream().noneMatch(c -> c.id().equals(id)),
                "forgotten after the connection state ttl");
        try (RawSocket late = RawSocket.open(server.port(), KEY_PARAM + "&resume=" + key, msgpack)) {
            JsonNode connected = late.next(4);
            assertThat(connected.path("connectionId").asText()).isNotEqualTo(id);
            assertThat(connected.path("error").path("code").asInt()).isEqualTo(80008);
        }
    }
}
