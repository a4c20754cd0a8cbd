package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node stopped gracefully (SIGTERM, a rolling deploy) leaves the cluster at once: with a lease and a grace
 * period far longer than the test may wait, its members can only leave promptly because it said so.
 */
class ClusterLeaveTest {
    final List<AblyRealtime> clients = new ArrayList<>();
    TestCluster cluster;

    @AfterEach
    void stop() {
        clients.forEach(AblyRealtime::close);
        cluster.close();
    }

    AblyRealtime client(int node, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(cluster.port(node), TestServer.KEY, true, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    @Test
    void aNodeStoppedGracefullyLeavesAtOnce() throws Exception {
        cluster = TestCluster.start(2, l -> l.nodeLease(Duration.ofSeconds(60)).presenceGrace(Duration.ofSeconds(60)));
        String name = "graceful";
        Channel watcher = AblyJava.attached(client(0, "watcher"), name);
        AblyJava.enter(AblyJava.attached(client(1, "leaver"), name), "bye");
        Await.until(() -> AblyJava.members(watcher).length == 1, "the other node's member seen");
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        watcher.presence.subscribe(seen::add);

        cluster.stopNode(1);
        Await.until(() -> AblyJava.members(watcher).length == 0, "its member gone long before lease or grace ran out");
        assertThat(seen).extracting(m -> m.action + ":" + m.clientId).containsExactly("leave:leaver");
        assertThat(cluster.metric(0, "rollcall_cluster_nodes_reaped_total")).isZero();
    }
}
