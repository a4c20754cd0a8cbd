package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ChannelOptions;
import io.ably.lib.types.HttpPaginatedResponse;
import io.ably.lib.types.Message;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three Rollcall nodes on one real Redis, driven by ably-java 1.5.0 clients spread over the nodes: pub/sub,
 * presence and occupancy must look the same from every node.
 */
class ClusterTest {
    static TestCluster cluster;
    final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        // A long grace period: a member that leaves promptly here left because of what the test did.
        cluster = TestCluster.start(3, l -> l.presenceGrace(java.time.Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(AblyRealtime::close);
    }

    AblyRealtime client(int node, boolean binary, String clientId) {
        return clientAt(cluster.port(node), binary, clientId);
    }

    AblyRealtime clientAt(int port, boolean binary, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(port, TestServer.KEY, binary, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    static List<String> clientIds(PresenceMessage[] members) {
        return Arrays.stream(members).map(m -> m.clientId).sorted().toList();
    }

    @Test
    void messagesReachEveryNodeOnceAndInPublisherOrder() throws Exception {
        String name = "cluster-pubsub";
        List<List<Message>> received = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            List<Message> got = new CopyOnWriteArrayList<>();
            received.add(got);
            AblyJava.attached(client(node, node % 2 == 0, "sub" + node), name).subscribe(got::add);
        }
        Channel p0 = AblyJava.attached(client(0, true, "pub0"), name);
        Channel p1 = AblyJava.attached(client(1, false, "pub1"), name);
        int n = 40;
        for (int i = 0; i < n; i++) {
            p0.publish("p0", "m" + i, null);
            p1.publish("p1", Map.of("i", i).toString(), null);
        }
        // And one through REST on the third node, which holds the channel only through its subscriber.
        AblyJava.rest(cluster.port(2), TestServer.KEY, false).channels.get(name).publish("rest", "over-rest");
        for (List<Message> got : received) {
            Await.until(() -> got.size() >= 2 * n + 1, "every message on every node");
        }
        for (List<Message> got : received) {
            assertThat(got).hasSize(2 * n + 1);
            assertThat(got.stream().filter(m -> m.name.equals("p0")).map(m -> m.data))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).mapToObj(i -> "m" + i).toList());
            assertThat(got.stream().filter(m -> m.name.equals("p1")).map(m -> m.data.toString()))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).mapToObj(i -> Map.of("i", i).toString()).toList());
            assertThat(got.stream().map(m -> m.id).distinct().count()).isEqualTo(got.size());
            assertThat(got).filteredOn(m -> m.name.equals("rest")).extracting(m -> m.data).containsExactly("over-rest");
        }
    }

    @Test
    void presenceSyncAndEventsAreGlobal() throws Exception {
        String name = "cluster-presence";
        Channel alice = AblyJava.attached(client(0, true, "alice"), name);
        AblyJava.enter(alice, "a-data");
        Channel bob = AblyJava.attached(client(1, false, "bob"), name);
        AblyJava.enter(bob, "b-data");

        // A late joiner on the third node syncs members held by the other two.
        Channel carol = AblyJava.attached(client(2, true, "carol"), name);
        assertThat(clientIds(Await.value(() -> AblyJava.members(carol), m -> m.length == 2, "two members synced")))
                .containsExactly("alice", "bob");
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        carol.presence.subscribe(seen::add);

        Channel dave = AblyJava.attached(client(1, true, "dave"), name);
        AblyJava.enter(dave, "d1");
        Completion update = new Completion();
        alice.presence.update("a-away", update);
        update.ok();
        Completion leave = new Completion();
        bob.presence.leave(leave);
        leave.ok();
        Await.until(() -> seen.size() >= 3, "enter, update and leave from other nodes");
        // Order holds per publisher, not across publishers on different nodes.
        assertThat(seen).extracting(m -> m.action + ":" + m.clientId)
                .containsExactlyInAnyOrder("enter:dave", "update:alice", "leave:bob");
        assertThat(seen).filteredOn(m -> m.clientId.equals("alice")).extracting(m -> m.data).containsExactly("a-away");

        // REST presence answers the same on every node (node 0 and 1 hold the channel; all three do here).
        for (int node = 0; node < 3; node++) {
            AblyRest rest = AblyJava.rest(cluster.port(node), TestServer.KEY, node == 1);
            int at = node;
            List<String> ids = Await.value(() -> Arrays.stream(rest.channels.get(name).presence.get(null).items())
                    .map(m -> m.clientId).sorted().toList(), l -> l.equals(List.of("alice", "dave")), "REST presence on node " + at);
            assertThat(ids).containsExactly("alice", "dave");
        }
        assertThat(clientIds(AblyJava.members(carol))).containsExactly("alice", "dave");
    }

    @Test
    void restPresenceOnANodeThatDoesNotHoldTheChannel() throws Exception {
        String name = "cluster-presence-remote";
        AblyJava.enter(AblyJava.attached(client(0, true, "erin"), name), "e");
        AblyRest rest = AblyJava.rest(cluster.port(2), TestServer.KEY, false);
        PresenceMessage[] items = rest.channels.get(name).presence.get(null).items();
        assertThat(items).extracting(m -> m.clientId).containsExactly("erin");
        assertThat(items[0].data).isEqualTo("e");
    }

    static JsonObject metricsOf(Message m) {
        JsonObject data = m.data instanceof JsonObject j ? j : com.google.gson.JsonParser.parseString(m.data.toString()).getAsJsonObject();
        return data.getAsJsonObject("metrics");
    }

    static JsonObject restMetrics(int port, String channel) throws Exception {
        AblyRest rest = AblyJava.rest(port, TestServer.KEY, false);
        HttpPaginatedResponse res = rest.request("GET", "/channels/" + URLEncoder.encode(channel, StandardCharsets.UTF_8), null, null, null);
        return res.items()[0].getAsJsonObject().getAsJsonObject("status").getAsJsonObject("occupancy").getAsJsonObject("metrics");
    }

    @Test
    void occupancyIsTheSumOverNodes() throws Exception {
        String name = "cluster-occupancy";
        ChannelOptions occ = new ChannelOptions();
        occ.params = Map.of("occupancy", "metrics");
        List<Message> events = new CopyOnWriteArrayList<>();
        Channel watch = client(2, true, "watcher").channels.get(name, occ);
        watch.subscribe("[meta]occupancy", events::add);
        Completion attach = new Completion();
        watch.attach(attach);
        attach.ok();
        AblyJava.attached(client(0, false, "c0"), name);
        AblyJava.enter(AblyJava.attached(client(1, true, "c1"), name), "here");
        AblyJava.attached(client(1, false, "c2"), name);

        JsonObject last = Await.value(() -> events.isEmpty() ? null : metricsOf(events.get(events.size() - 1)),
                m -> m != null && m.get("connections").getAsInt() == 4 && m.get("presenceMembers").getAsInt() == 1,
                "four connections over three nodes, one member");
        assertThat(last.get("subscribers").getAsInt()).isEqualTo(4);
        for (int node = 0; node < 3; node++) {
            int port = cluster.port(node);
            JsonObject rest = Await.value(() -> restMetrics(port, name),
                    m -> m.get("connections").getAsInt() == 4, "REST occupancy on node " + node);
            assertThat(rest.get("presenceMembers").getAsInt()).isEqualTo(1);
            assertThat(rest.get("publishers").getAsInt()).isEqualTo(4);
        }
    }

    @Test
    void enumerationAndChatOccupancyCoverChannelsOnOtherNodes() throws Exception {
        String room = "cluster-room";
        String chatChannel = room + "::$chat";
        AblyJava.enter(AblyJava.attached(client(1, true, "frank"), chatChannel), "f");
        AblyJava.attached(client(1, false, "gina"), "cluster-enum-other");
        AblyRest rest0 = AblyJava.rest(cluster.port(0), TestServer.KEY, false);
        List<String> names = Await.value(() -> {
            HttpPaginatedResponse res = rest0.request("GET", "/channels", new io.ably.lib.types.Param[] {
                    new io.ably.lib.types.Param("prefix", "cluster-")}, null, null);
            List<String> out = new ArrayList<>();
            for (JsonElement e : res.items()) {
                out.add(e.getAsString());
            }
            return out;
        }, l -> l.contains(chatChannel) && l.contains("cluster-enum-other"), "node 0 enumerates node 1's channels");
        assertThat(names).contains(chatChannel, "cluster-enum-other");
        HttpPaginatedResponse occ = rest0.request("GET", "/chat/v4/rooms/" + room + "/occupancy", null, null, null);
        JsonObject o = occ.items()[0].getAsJsonObject();
        assertThat(o.get("connections").getAsInt()).isEqualTo(1);
        assertThat(o.get("presenceMembers").getAsInt()).isEqualTo(1);
    }

    @Test
    void resumingOnAnotherNodeReentersCleanlyWithoutADuplicateMember() throws Exception {
        String name = "cluster-move";
        Channel watch = AblyJava.attached(client(2, true, "watcher"), name);
        List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
        watch.presence.subscribe(seen::add);
        try (TcpProxy proxy = new TcpProxy(cluster.port(0))) {
            AblyRealtime mover = clientAt(proxy.port(), true, "mover");
            String firstId = mover.connection.id;
            AblyJava.enter(AblyJava.attached(mover, name), "m");
            Await.until(() -> AblyJava.members(watch).length == 1, "mover present");
            // The load balancer now sends the client to node 1: its resume there cannot continue.
            proxy.retarget(cluster.port(1));
            proxy.cut();
            Await.until(() -> mover.connection.state == ConnectionState.connected && !firstId.equals(mover.connection.id),
                    "reconnected to node 1 with a new connection");
            // Node 0 let the old connection go at once (no waiting for the grace period), and the SDK
            // re-entered on the new one: one member, the new connection's.
            PresenceMessage[] now = Await.value(() -> AblyJava.members(watch),
                    m -> m.length == 1 && m[0].connectionId.equals(mover.connection.id), "only the new member");
            assertThat(now[0].clientId).isEqualTo("mover");
            assertThat(seen).extracting(m -> m.action + ":" + (m.connectionId.equals(firstId) ? "old" : "new"))
                    .containsExactlyInAnyOrder("enter:old", "leave:old", "enter:new");
        }
    }
}
