package io.rollcall.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node cut off from Redis past its lease is taken for dead (its member's LEAVE item is recorded by the
 * node that reaps it) and registers again when back: its member comes back as a PRESENT item, so a receiver
 * following the contract has it again, as every node does.
 */
class ClusterWebhooksPartitionTest {
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aNodeTakenForDeadThatComesBackHasItsMembersReportedAgain() throws Exception {
        Receiver rx = new Receiver(0);
        open.add(rx);
        JsonNode rules = WebhookTruth.rules("^part", rx.url());
        TestCluster cluster = TestCluster.start(1, l -> l.presenceGrace(Duration.ofSeconds(60)), false, c -> c.webhooks(rules));
        open.add(cluster);
        TcpProxy link = new TcpProxy(cluster.redis().port());
        open.add(link);
        TestServer island = TestServer.start(l -> l.presenceGrace(Duration.ofSeconds(60)).nodeLease(TestCluster.LEASE)
                .redisReconnectMax(Duration.ofMillis(200)), c -> c.engine("redis").redisUri("redis://127.0.0.1:" + link.port()).webhooks(rules));
        open.add(island);
        String name = "partitioned";
        AblyRealtime watcher = AblyJava.connected(AblyJava.realtime(cluster.port(0), TestServer.KEY, true, o -> o.clientId = "watcher"));
        open.add(watcher::close);
        AblyJava.attached(watcher, name);
        AblyRealtime islander = AblyJava.connected(AblyJava.realtime(island.port(), TestServer.KEY, true, o -> o.clientId = "islander"));
        open.add(islander::close);
        AblyJava.enter(AblyJava.attached(islander, name), "here");
        String member = "islander@" + islander.connection.id;
        Await.until(() -> ReceiverModel.of(rx).members(name).contains(member), "the member reported");

        link.refuse(true);
        link.cut();
        Await.until(() -> ReceiverModel.of(rx).members(name).isEmpty(), "its LEAVE once the node is taken for dead");
        link.refuse(false);
        Await.value(() -> WebhookTruth.members(cluster.port(0), name), m -> m.contains(member), "the node back, its member with it");
        WebhookTruth.converged(rx, cluster.port(0), List.of(name), List::of, "the member reported again");
        assertThat(ReceiverModel.of(rx).members(name)).containsExactly(member);
        assertThat(ReceiverModel.of(rx).presenceEvents(name)).contains("2:" + member, "3:" + member, "1:" + member);
        assertThat(ReceiverModel.idsWithDifferentContent(rx)).isEmpty();
    }
}
