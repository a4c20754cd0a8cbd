package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.HttpPaginatedResponse;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.ServerProcess;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that dies without a word (kill -9 of the packaged server's process): its members leave on every
 * other node within the lease, each exactly once, and its connections stop counting. The presence grace is
 * a minute here, so a leave seen sooner is the lease's doing.
 */
class ClusterNodeKillIT {
    final List<AblyRealtime> clients = new ArrayList<>();
    TestCluster cluster;
    ServerProcess doomed;

    @AfterEach
    void stop() {
        clients.forEach(AblyRealtime::close);
        if (doomed != null) {
            doomed.process().destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    AblyRealtime client(int port, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(port, TestServer.KEY, true, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    static int connections(int port, String channel) throws Exception {
        AblyRest rest = AblyJava.rest(port, TestServer.KEY, false);
        HttpPaginatedResponse res = rest.request("GET", "/channels/" + channel, null, null, null);
        JsonObject m = res.items()[0].getAsJsonObject().getAsJsonObject("status").getAsJsonObject("occupancy").getAsJsonObject("metrics");
        return m.get("connections").getAsInt();
    }

    @Test
    void aKilledNodesMembersLeaveEverywhereExactlyOnce() throws Exception {
        Duration grace = Duration.ofSeconds(60);
        cluster = TestCluster.start(2, l -> l.presenceGrace(grace));
        doomed = ServerProcess.start(ServerProcess.serve("--port", "0", "--key", TestServer.KEY,
                "--redis", cluster.redis().uri(), "--limit", "nodeLease=" + TestCluster.LEASE.toMillis(),
                "--limit", "presenceGrace=" + grace.toMillis()));
        int doomedPort = doomed.port();
        String name = "kill-room";
        List<List<PresenceMessage>> seen = new ArrayList<>();
        List<Channel> watchers = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            Channel w = AblyJava.attached(client(cluster.port(node), "watcher" + node), name);
            List<PresenceMessage> events = new CopyOnWriteArrayList<>();
            w.presence.subscribe(events::add);
            seen.add(events);
            watchers.add(w);
        }
        for (String who : List.of("alice", "amir")) {
            Completion enter = new Completion();
            AblyJava.attached(client(doomedPort, who), name).presence.enter("on the doomed node", enter);
            enter.ok();
        }
        for (Channel w : watchers) {
            Await.until(() -> AblyJava.members(w).length == 2, "both members seen from the surviving nodes");
        }
        Await.value(() -> connections(cluster.port(0), name), n -> n == 4, "four connections counted");

        long killedAt = System.nanoTime();
        doomed.process().destroyForcibly();
        assertThat(doomed.process().waitFor(20, TimeUnit.SECONDS)).isTrue();

        for (Channel w : watchers) {
            Await.until(() -> AblyJava.members(w).length == 0, "the dead node's members gone from every node");
        }
        long leftAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("members left " + leftAfterMs + " ms after kill -9 (lease " + TestCluster.LEASE.toMillis() + " ms)");
        Await.until(() -> cluster.metric(0, "rollcall_cluster_nodes_reaped_total")
                + cluster.metric(1, "rollcall_cluster_nodes_reaped_total") == 1, "reaped once, by one node");
        for (int node = 0; node < 2; node++) {
            int port = cluster.port(node);
            Await.value(() -> connections(port, name), n -> n == 2, "the dead node's connections stop counting");
        }
        // A marker after the reap: a second LEAVE, had there been one, would have come before it.
        Completion marker = new Completion();
        watchers.get(0).presence.enter("marker", marker);
        marker.ok();
        for (List<PresenceMessage> events : seen) {
            Await.until(() -> events.stream().anyMatch(m -> "watcher0".equals(m.clientId)), "marker");
            assertThat(events.stream().filter(m -> m.action == PresenceMessage.Action.leave).map(m -> m.clientId).sorted())
                    .containsExactly("alice", "amir");
        }
        assertThat(leftAfterMs).isLessThan(grace.toMillis());
    }
}
