package io.rollcall.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.ServerProcess;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kill -9 of a node (the packaged server in its own process) while the receiver is failing, then stalled,
 * so the items of its members' ENTERs wait undelivered: whether that node was delivering the webhook streams
 * or not, and whether it is killed while Redis is unreachable (for three leases, as a 30 s outage is under
 * the default 10 s lease) or not, nothing it queued is lost, each of its members gets a LEAVE item on every
 * channel (also channels no surviving node holds), and a receiver keeping the highest serial per channel
 * ends with the truth.
 */
class ClusterWebhooksKillIT {
    static final List<String> ROOMS = List.of("room-a", "room-b", "room-c");
    static final String[] RULES = {"pres", "occ", "life"};
    final List<AutoCloseable> open = new ArrayList<>();
    final ExpectedPresence expected = new ExpectedPresence();
    final java.util.Map<String, AblyRealtime> byClientId = new java.util.HashMap<>();
    TestCluster cluster;
    ServerProcess doomed;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (doomed != null) {
            doomed.process().destroyForcibly();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    AblyRealtime client(int port, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(port, TestServer.KEY, true, o -> o.clientId = clientId));
        open.add(rt::close);
        byClientId.put(clientId, rt);
        return rt;
    }

    void enter(AblyRealtime rt, String room) {
        AblyJava.enter(AblyJava.attached(rt, room), "in " + room);
        expected.add(room, ExpectedPresence.ENTER, rt);
    }

    /** The node delivering each shard of each rule (null where none). */
    static List<String> owners(StatefulRedisConnection<String, String> redis) {
        List<String> out = new ArrayList<>();
        for (String rule : RULES) {
            for (int shard = 0; shard < io.rollcall.server.core.Outbox.SHARDS; shard++) {
                out.add(redis.sync().get("rc:wh:own:" + rule + ":" + shard));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "the killed node delivered the streams: {0}; killed during a Redis outage: {1}")
    @CsvSource({"true, false", "false, false", "true, true"})
    void nothingQueuedOnAKilledNodeIsLost(boolean killedOwner, boolean duringOutage) throws Exception {
        Receiver rx = new Receiver(0);
        open.add(rx);
        var rules = WebhookTruth.rules("^room-", rx.url());
        Duration grace = Duration.ofSeconds(60);
        cluster = TestCluster.start(0, l -> l.presenceGrace(grace).occupancyInterval(Duration.ofMillis(100)), duringOutage,
                c -> c.webhooks(rules));
        open.add(cluster);
        RedisClient redisClient = RedisClient.create(cluster.redis().uri());
        open.add(redisClient::shutdown);
        StatefulRedisConnection<String, String> redis = redisClient.connect();

        if (!killedOwner) {
            cluster.addNode();
            cluster.addNode();
            Await.until(() -> owners(redis).stream().allMatch(o -> o != null), "the in-process nodes deliver every shard");
        }
        Path config = dir.resolve("rollcall.yaml");
        Files.writeString(config, WebhookTruth.rulesYaml("^room-", rx.url()));
        doomed = ServerProcess.start(ServerProcess.serve("--port", "0", "--key", TestServer.KEY, "--config", config.toString(),
                "--redis", duringOutage ? "redis://127.0.0.1:" + cluster.redisProxy().port() : cluster.redis().uri(), "--limit", "nodeLease=" + TestCluster.LEASE.toMillis(),
                "--limit", "presenceGrace=" + grace.toMillis(), "--limit", "occupancyInterval=100"));
        int doomedPort = doomed.port();
        AblyRealtime alice = client(doomedPort, "alice");
        String doomedId = alice.connection.id.substring(0, io.rollcall.server.core.Node.NODE_ID_LENGTH);
        if (killedOwner) {
            Await.until(() -> owners(redis).stream().allMatch(doomedId::equals), "the doomed node delivers every shard");
            cluster.addNode();
            cluster.addNode();
        }
        int survivor = cluster.port(0);

        // The receiver fails: every item waits, those of the doomed node's members too.
        rx.failStatus = 503;
        enter(alice, "room-a");                       // room-a: members on the doomed node only
        enter(client(doomedPort, "amir"), "room-a");
        AblyRealtime bea = client(doomedPort, "bea");
        enter(bea, "room-b");                         // room-b: members on both sides
        enter(client(cluster.port(0), "bob"), "room-b");
        enter(client(cluster.port(1), "carl"), "room-c"); // room-c: survivors only
        Await.until(() -> rx.refused.get() >= 2, "deliveries failing");
        // Then it stalls: requests hang, the doomed node's with them.
        CountDownLatch stall = new CountDownLatch(1);
        rx.stall = stall;
        Await.until(() -> rx.stalled.get() >= 1, "a request stalls");

        for (String who : List.of("alice", "amir")) {
            expected.add("room-a", ExpectedPresence.LEAVE, byClientId.get(who));
        }
        expected.add("room-b", ExpectedPresence.LEAVE, bea);
        long outageStart = System.currentTimeMillis();
        if (duringOutage) {
            cluster.loseRedis();
        }
        long killedAt = System.nanoTime();
        doomed.process().destroyForcibly();
        assertThat(doomed.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        if (duringOutage) {
            long outageMs = 3 * TestCluster.LEASE.toMillis();
            Await.until(() -> System.currentTimeMillis() - outageStart >= outageMs, "the outage lasts " + outageMs + " ms");
            cluster.regainRedis();
        }

        // The receiver goes down and comes back, working.
        rx.down();
        rx.stall = null;
        stall.countDown();
        Await.until(() -> cluster.metric(0, "rollcall_cluster_nodes_reaped_total") + cluster.metric(1, "rollcall_cluster_nodes_reaped_total") == 1,
                "the dead node reaped");
        rx.failStatus = 0;
        rx.restart();

        WebhookTruth.converged(rx, survivor, ROOMS, () -> expected.missing(rx), "every item, and the truth, after kill -9");
        System.out.println("webhooks converged " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)
                + " ms after kill -9 (lease " + TestCluster.LEASE.toMillis() + " ms; killed node delivered the streams: " + killedOwner + ")");
        assertThat(ReceiverModel.idsWithDifferentContent(rx)).isEmpty();
        assertThat(owners(redis)).noneMatch(doomedId::equals);
        ReceiverModel model = ReceiverModel.of(rx);
        assertThat(model.members("room-a")).isEmpty();
        assertThat(model.active("room-a")).isFalse();
    }
}
