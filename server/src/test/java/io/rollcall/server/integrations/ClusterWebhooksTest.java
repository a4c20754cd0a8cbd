package io.rollcall.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every node of a cluster has the same webhook rules; each event still reaches the receiver once: presence
 * recorded where it happened, occupancy and lifecycle as readings of the channel's state in Redis.
 */
class ClusterWebhooksTest {
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    AblyRealtime client(TestCluster cluster, int node, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(cluster.port(node), TestServer.KEY, node == 0, o -> o.clientId = clientId));
        open.add(rt::close);
        return rt;
    }

    static List<JsonNode> of(Receiver rx, String source) {
        return rx.items().stream().filter(i -> i.path("source").asText().equals(source)).toList();
    }

    static JsonNode metrics(JsonNode item) {
        return item.path("data").path("status").path("occupancy").path("metrics");
    }

    @Test
    void eachEventIsDeliveredOnceNotOncePerNode() throws Exception {
        Receiver rx = new Receiver(0);
        open.add(rx);
        String rules = "webhooks:\n"
                + WebhooksTest.rule("pres", "channel.presence", "^hooked", rx.url(), "")
                + WebhooksTest.rule("occ", "channel.occupancy", "^hooked", rx.url(), "")
                + WebhooksTest.rule("life", "channel.lifecycle", "^hooked", rx.url(), "");
        JsonNode section = new ObjectMapper(new YAMLFactory()).readTree(rules).get("webhooks");
        TestCluster cluster = TestCluster.start(2, l -> l.occupancyInterval(Duration.ofMillis(100)), false, c -> c.webhooks(section));
        open.add(cluster);

        String name = "hooked-room";
        Channel a = WebhooksTest.attach(client(cluster, 0, "alice"), name);
        Channel b = WebhooksTest.attach(client(cluster, 1, "bob"), name);
        AblyJava.enter(a, "in");
        AblyJava.enter(b, "in");
        Completion update = new Completion();
        b.presence.update("busy", update);
        update.ok();
        Await.until(() -> of(rx, "channel.occupancy").stream().anyMatch(i -> metrics(i).path("connections").asInt() == 2
                && metrics(i).path("presenceMembers").asInt() == 2), "occupancy of both nodes summed");
        // Both leave at once: neither node has heard of the other's departure when it makes its own, and
        // still exactly one of them reports the channel closing.
        Completion detachA = new Completion();
        Completion detachB = new Completion();
        a.detach(detachA);
        b.detach(detachB);
        detachA.ok();
        detachB.ok();
        Await.until(() -> of(rx, "channel.lifecycle").size() >= 2, "opened and closed");
        Await.until(() -> {
            List<JsonNode> occ = of(rx, "channel.occupancy");
            return !occ.isEmpty() && metrics(occ.get(occ.size() - 1)).path("connections").asInt() == 0;
        }, "the final occupancy reading");

        List<String> presence = new ArrayList<>();
        for (JsonNode item : of(rx, "channel.presence")) {
            item.path("data").path("presence").forEach(p -> presence.add(p.path("clientId").asText() + ":" + p.path("action").asInt()));
        }
        // enter (2), update (4) and the leaves on detach (3): once each, though both nodes hold the channel.
        Await.until(() -> {
            List<String> now = new ArrayList<>();
            for (JsonNode item : of(rx, "channel.presence")) {
                item.path("data").path("presence").forEach(p -> now.add(p.path("clientId").asText() + ":" + p.path("action").asInt()));
            }
            presence.clear();
            presence.addAll(now);
            return now.size() >= 5;
        }, "every presence event");
        assertThat(presence).containsExactlyInAnyOrder("alice:2", "bob:2", "bob:4", "alice:3", "bob:3");
        assertThat(of(rx, "channel.lifecycle")).extracting(i -> i.path("name").asText())
                .containsExactly("channel.opened", "channel.closed");
        // The readings end with the channel's final, empty one, and it has the highest serial.
        List<JsonNode> occ = of(rx, "channel.occupancy");
        assertThat(metrics(occ.get(occ.size() - 1)).path("connections").asInt()).isZero();
        assertThat(ReceiverModel.of(rx).occupancy(name).path("connections").asInt()).isZero();
        assertThat(rx.items().stream().map(i -> i.path("id").asText()).distinct().count()).isEqualTo(rx.items().size());
    }
}
