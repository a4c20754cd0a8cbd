package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One node alone loses Redis for longer than its lease while the others keep it: to them it is dead (its
 * members leave, once), and when it is back it registers again (they enter again) — nobody is left a ghost.
 */
class ClusterPartitionTest {
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    AblyRealtime client(int port, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(port, TestServer.KEY, true, o -> o.clientId = clientId));
        open.add(rt::close);
        return rt;
    }

    static List<String> ids(Channel ch) {
        try {
            return Arrays.stream(ch.presence.get(true)).map(m -> m.clientId).sorted().toList();
        } catch (io.ably.lib.types.AblyException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPartitionedNodeIsTakenForDeadThenComesBack() throws Exception {
        TestCluster cluster = TestCluster.start(1, l -> l.presenceGrace(Duration.ofSeconds(60)));
        open.add(cluster);
        TcpProxy link = new TcpProxy(cluster.redis().port());
        open.add(link);
        TestServer island = TestServer.start(l -> l.presenceGrace(Duration.ofSeconds(60)).nodeLease(TestCluster.LEASE)
                .redisReconnectMax(Duration.ofMillis(200)), c -> c.engine("redis").redisUri("redis://127.0.0.1:" + link.port()));
        open.add(island);
        String name = "partition";
        Channel watcher = AblyJava.attached(client(cluster.port(0), "watcher"), name);
        Completion enter = new Completion();
        AblyJava.attached(client(island.port(), "islander"), name).presence.enter("here", enter);
        enter.ok();
        Await.until(() -> ids(watcher).equals(List.of("islander")), "the island's member seen");
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        watcher.presence.subscribe(seen::add);

        link.refuse(true);
        link.cut();
        Await.until(() -> ids(watcher).isEmpty(), "the unreachable node taken for dead");
        link.refuse(false);
        Await.until(() -> ids(watcher).equals(List.of("islander")), "the node back, its member with it");
        assertThat(seen).extracting(m -> m.action + ":" + m.clientId).containsExactly("leave:islander", "enter:islander");
    }
}
