package io.rollcall.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Three nodes on one Redis, a receiver that fails, goes down, stalls and comes back, and Redis going away
 * while one node dies (it is stopped while Redis is away, so it can tell no one). Outages are given in node
 * leases: the test lease is 1.5 s, so half a lease stands for a 5 s outage under the default 10 s lease (the
 * leases in Redis outlive it) and three leases for a 30 s one (every lease runs out meanwhile); what the
 * cluster does depends only on that ratio. Redis restarts empty (no persistence), restarts with its data
 * (append-only file), or stays up but unreachable. Afterwards a receiver that keeps the highest serial per channel
 * has each channel's true occupancy, lifecycle and member list, every presence change arrived (the dead
 * node's members' LEAVEs too), and no item id ever came with two contents.
 */
class ClusterWebhooksOutageTest {
    static final List<String> HELD_ROOMS = List.of("room-1", "room-2", "room-3");
    /** Only the node that dies has members on it, and no surviving node holds it. */
    static final String UNHELD_ROOM = "room-4";
    List<String> rooms;
    final List<AutoCloseable> open = new ArrayList<>();
    TestCluster cluster;
    final ExpectedPresence expected = new ExpectedPresence();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    AblyRealtime client(int node, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(cluster.port(node), TestServer.KEY, node == 0, o -> o.clientId = clientId));
        open.add(rt::close);
        return rt;
    }

    Channel enter(AblyRealtime rt, String room) {
        Channel ch = AblyJava.attached(rt, room);
        AblyJava.enter(ch, "in " + room);
        expect(room, 2, rt);
        return ch;
    }

    void leave(Channel ch, AblyRealtime rt, String room) throws Exception {
        Completion c = new Completion();
        ch.presence.leave(c);
        c.ok();
        expect(room, 3, rt);
    }

    void expect(String room, int action, AblyRealtime rt) {
        expected.add(room, action, rt);
    }

    void converged(Receiver rx, String what) throws Exception {
        WebhookTruth.converged(rx, cluster.port(0), rooms, () -> expected.missing(rx), what);
    }

    @ParameterizedTest(name = "Redis {0} for {1} leases")
    @CsvSource({"restarted, 0.5", "restarted, 3", "unreachable, 3", "restarted with persistence, 3"})
    void aReceiverKeepingTheHighestSerialEndsWithTheTruth(String mode, double leases, @TempDir Path redisDir) throws Exception {
        boolean unreachable = mode.equals("unreachable");
        boolean persisted = mode.endsWith("persistence");
        // A Redis that restarts empty keeps no trace of a node that died meanwhile: only channels a surviving
        // node holds can then tell of its members (README), so the unheld room is only for a Redis that keeps
        // its data.
        boolean keepsData = unreachable || persisted;
        rooms = new ArrayList<>(HELD_ROOMS);
        if (keepsData) {
            rooms.add(UNHELD_ROOM);
        }
        Receiver rx = new Receiver(0);
        open.add(rx);
        com.fasterxml.jackson.databind.JsonNode rules = WebhookTruth.rules("^room-", rx.url());
        String[] redisSettings = persisted ? new String[] {"appendonly yes", "dir " + redisDir} : new String[0];
        cluster = TestCluster.start(3, l -> l.presenceGrace(Duration.ofSeconds(60)).occupancyInterval(Duration.ofMillis(100)),
                unreachable, c -> c.webhooks(rules), redisSettings);
        open.add(cluster);

        // Nodes 0 and 1 hold every room (so they can tell of the dead node's members if Redis forgets them).
        AblyRealtime w0 = client(0, "w0");
        AblyRealtime w1 = client(1, "w1");
        for (String room : HELD_ROOMS) {
            AblyJava.attached(w0, room);
            AblyJava.attached(w1, room);
        }
        AblyRealtime alice = client(0, "alice");
        enter(alice, "room-1");
        Channel alice2 = enter(alice, "room-2");
        AblyRealtime bob = client(1, "bob");
        enter(bob, "room-1");
        AblyRealtime dave = client(1, "dave");
        Channel dave2 = enter(dave, "room-2");
        AblyRealtime frank = client(2, "frank");
        enter(frank, "room-1");
        enter(frank, "room-3");
        AblyRealtime gina = client(2, "gina");
        enter(gina, "room-2");
        enter(gina, "room-3");
        if (keepsData) {
            enter(gina, UNHELD_ROOM);
        }

        // The receiver fails for a while: everything waits in Redis, then arrives.
        rx.failStatus = 503;
        AblyRealtime carl = client(1, "carl");
        Channel carl3 = enter(carl, "room-3");
        Completion update = new Completion();
        carl3.presence.update("busy", update);
        update.ok();
        expect("room-3", 4, carl);
        Await.until(() -> rx.refused.get() >= 3, "deliveries failing");
        rx.failStatus = 0;
        converged(rx, "everything before the outage");

        // Redis goes away, and so do the receiver and node 2 (which can tell no one of its members).
        long outageStart = System.currentTimeMillis();
        cluster.loseRedis();
        rx.down();
        cluster.stopNode(2);
        for (String room : List.of("room-1", "room-3")) {
            expect(room, 3, frank);
        }
        for (String room : keepsData ? List.of("room-2", "room-3", UNHELD_ROOM) : List.of("room-2", "room-3")) {
            expect(room, 3, gina);
        }
        // Changes during the outage, on the surviving nodes: they reach the receiver once Redis is back.
        AblyRealtime erin = client(0, "erin");
        enter(erin, "room-1");
        leave(dave2, dave, "room-2");
        leave(alice2, alice, "room-2");
        AblyJava.attached(client(1, "late"), "room-3");

        long outageMs = (long) (leases * TestCluster.LEASE.toMillis());
        Await.until(() -> System.currentTimeMillis() - outageStart >= outageMs, "the outage lasts " + outageMs + " ms");
        cluster.regainRedis();
        // The receiver comes back stalling: the first request hangs until another shard's request got through.
        rx.stall = new CountDownLatch(1);
        rx.restart();
        CountDownLatch stall = rx.stall;
        Await.until(() -> rx.stalled.get() >= 1, "a request stalls");
        rx.stall = null;
        stall.countDown();

        converged(rx, "the receiver's model agrees with every node after the outage");
        for (int node = 0; node < 2; node++) {
            int port = cluster.port(node);
            Await.value(() -> WebhookTruth.differences(rx, port, rooms), List::isEmpty, "node " + node + " agrees");
        }
        assertThat(ReceiverModel.idsWithDifferentContent(rx)).isEmpty();
        // Where Redis kept its data, the dead node was reaped (once): that is what told of its members.
        assertThat(cluster.metric(0, "rollcall_cluster_nodes_reaped_total") + cluster.metric(1, "rollcall_cluster_nodes_reaped_total"))
                .isEqualTo(keepsData ? 1 : 0);
        assertThat(ReceiverModel.of(rx).members("room-3")).hasSize(1).allMatch(m -> m.startsWith("carl@"));
    }
}
