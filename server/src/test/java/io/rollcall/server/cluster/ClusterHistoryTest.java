package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ChannelOptions;
import io.ably.lib.types.Message;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** History is kept in Redis: what is published through one node is read, rewound and cut at attach on another. */
class ClusterHistoryTest {
    static TestCluster cluster;
    final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(2, l -> l);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(AblyRealtime::close);
    }

    AblyRealtime client(int node, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(cluster.port(node), TestServer.KEY, true, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    static List<Object> data(Message[] items) {
        return Arrays.stream(items).map(m -> m.data).toList();
    }

    @Test
    void historyWrittenOnOneNodeIsReadOnAnother() throws Exception {
        String name = "cluster-history";
        AblyRealtime writer = client(0, "writer");
        Channel ch = AblyJava.attached(writer, name);
        for (int i = 0; i < 4; i++) {
            Completion c = new Completion();
            ch.publish("n", "rt" + i, c);
            c.ok();
        }
        AblyJava.rest(cluster.port(0), TestServer.KEY, false).channels.get(name).publish("n", "rest");
        AblyJava.enter(ch, "here");

        AblyRest other = AblyJava.rest(cluster.port(1), TestServer.KEY, false);
        PaginatedResult<Message> page = other.channels.get(name).history(new Param[] {new Param("limit", "3")});
        assertThat(data(page.items())).containsExactly("rest", "rt3", "rt2");
        assertThat(page.items()[1].connectionId).isEqualTo(writer.connection.id);
        assertThat(data(page.next().items())).containsExactly("rt1", "rt0");
        PresenceMessage[] presence = other.channels.get(name).presence.history(null).items();
        assertThat(presence).hasSize(1);
        assertThat(presence[0].action).isEqualTo(PresenceMessage.Action.enter);
        assertThat(presence[0].clientId).isEqualTo("writer");
    }

    @Test
    void theLeaveOfADeadNodesMemberIsInPresenceHistoryOnce() throws Exception {
        String name = "cluster-history-reaped";
        try (TcpProxy link = new TcpProxy(cluster.redis().port());
             TestServer island = TestServer.start(l -> l.nodeLease(TestCluster.LEASE).redisReconnectMax(Duration.ofMillis(200)),
                     c -> c.engine("redis").redisUri("redis://127.0.0.1:" + link.port()))) {
            // Held on both cluster nodes, so whichever reaps the island synthesizes the leave.
            AblyJava.attached(client(0, "watcher0"), name);
            Channel watcher = AblyJava.attached(client(1, "watcher1"), name);
            AblyRealtime islander = AblyJava.connected(AblyJava.realtime(island.port(), TestServer.KEY, true, o -> o.clientId = "islander"));
            clients.add(islander);
            AblyJava.enter(AblyJava.attached(islander, name), "here");
            Await.until(() -> AblyJava.members(watcher).length == 1, "the island's member seen");
            link.refuse(true);
            link.cut();
            Await.until(() -> AblyJava.members(watcher).length == 0, "the unreachable node taken for dead");
            AblyRest rest = AblyJava.rest(cluster.port(0), TestServer.KEY, false);
            PresenceMessage[] events = Await.value(() -> rest.channels.get(name).presence.history(
                    new Param[] {new Param("direction", "forwards")}).items(), e -> e.length == 2, "enter and leave");
            assertThat(Arrays.stream(events).map(p -> p.action + ":" + p.clientId + ":" + p.data).toList())
                    .containsExactly("enter:islander:here", "leave:islander:here");
        }
    }

    @Test
    void untilAttachAndRewindOnOneNodeCoverWhatAnotherNodePublished() throws Exception {
        String name = "cluster-history-attach";
        AblyRest publisher = AblyJava.rest(cluster.port(0), TestServer.KEY, true);
        for (int i = 0; i < 3; i++) {
            publisher.channels.get(name).publish("pre", "pre" + i);
        }
        AblyRealtime reader = client(1, "reader");
        ChannelOptions opts = new ChannelOptions();
        opts.params = Map.of("rewind", "2");
        Channel ch = reader.channels.get(name, opts);
        List<Object> got = new CopyOnWriteArrayList<>();
        ch.subscribe(m -> got.add(m.data));
        Completion attached = new Completion();
        ch.attach(attached);
        attached.ok();
        publisher.channels.get(name).publish("post", "post0");
        Await.until(() -> got.size() == 3, "two rewound, then one live");
        assertThat(got).containsExactly("pre1", "pre2", "post0");
        assertThat(data(ch.history(new Param[] {new Param("untilAttach", "true")}).items()))
                .containsExactly("pre2", "pre1", "pre0");
    }
}
