package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Presence events of a channel that pile up while its send is pending go out together, in one PRESENCE
 * message per send (at most {@code presenceBatchMessages} events), and every recipient still reads every event
 * exactly once, in order, with its own id, connectionId and timestamp. A burst is pinned deterministically by
 * keeping the node's presence senders busy while the events arrive (on real sockets, a burst coalesces or not
 * by chance).
 */
class PresenceBatchTest {
    static final int BATCH = 8;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.presenceBatchMessages(BATCH).maxInboundRate(5000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Keeps every presence sender of the node busy until {@link #close()}: sends queue up meanwhile. */
    static final class SendersHeld implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);

        SendersHeld(Node node) throws InterruptedException {
            ThreadPoolExecutor senders = (ThreadPoolExecutor) node.presenceSender();
            int threads = senders.getMaximumPoolSize();
            CountDownLatch running = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                senders.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            running.await();
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    static Channel channel(String name) {
        return server.rollcall().node().app(TestServer.APP).existing(name);
    }

    static RawSocket connected(String clientId, boolean msgpack) {
        RawSocket s = RawSocket.open(server.port(), "key=" + TestServer.KEY + "&clientId=" + clientId, msgpack);
        s.next(4);
        return s;
    }

    static void attach(RawSocket s, String channel, int modes) {
        s.send("{\"action\":10,\"channel\":\"" + channel + "\"" + (modes == 0 ? "" : ",\"flags\":" + modes) + "}");
        s.next(11);
    }

    /** Every frame the socket receives until {@code done} holds for what it received. */
    static List<JsonNode> framesUntil(RawSocket s, java.util.function.Predicate<List<JsonNode>> done, String what) {
        List<JsonNode> frames = new ArrayList<>();
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        while (!done.test(frames)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; got " + frames);
            }
            JsonNode f = s.poll(100);
            if (f != null && f.path("action").asInt() != 0) {
                frames.add(f);
            }
        }
        return frames;
    }

    static List<JsonNode> presenceFrames(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.path("action").asInt() == 14).toList();
    }

    static List<JsonNode> events(List<JsonNode> frames) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : presenceFrames(frames)) {
            f.path("presence").forEach(out::add);
        }
        return out;
    }

    static int eventCount(List<JsonNode> frames) {
        return events(frames).size();
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void aBurstGoesOutInFewFramesAndEveryEventOnceInOrder(boolean msgpack) throws Exception {
        String name = "batch-raw-" + msgpack;
        int publishers = 6;
        int events = publishers * 2 + 1; // each publisher enters and updates; the echo-only one enters
        RawSocket watcher = connected("watcher", msgpack);
        attach(watcher, name, 0);
        List<RawSocket> pubs = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            RawSocket p = connected("p" + i, !msgpack);
            attach(p, name, 0);
            pubs.add(p);
        }
        // Allowed to enter, not subscribed to presence: it gets only the echo of its own events.
        RawSocket echoOnly = connected("e", msgpack);
        attach(echoOnly, name, Flags.PRESENCE);
        try (SendersHeld held = new SendersHeld(server.rollcall().node())) {
            for (int i = 0; i < publishers; i++) {
                pubs.get(i).send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":0,\"presence\":[{\"action\":2,\"data\":\"in\"}]}");
                pubs.get(i).send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":1,\"presence\":[{\"action\":4,\"data\":\"busy\"}]}");
            }
            echoOnly.send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":0,\"presence\":[{\"action\":2,\"data\":\"solo\"}]}");
            Await.until(() -> channel(name).memberCount() == publishers + 1
                    && channel(name).members().stream().filter(m -> "busy".equals(m.data)).count() == publishers,
                    "every event applied");
        }
        List<JsonNode> seen = framesUntil(watcher, f -> eventCount(f) >= events, "the burst");
        // Two sends: the one the batch bound forced, and the rest once a sender was free.
        assertThat(presenceFrames(seen)).extracting(f -> f.path("presence").size()).containsExactly(BATCH, events - BATCH);
        List<JsonNode> all = events(seen);
        assertThat(all).hasSize(events);
        Set<String> ids = new HashSet<>();
        for (JsonNode e : all) {
            assertThat(e.path("id").asText()).startsWith(e.path("connectionId").asText() + ":");
            assertThat(e.path("timestamp").asLong()).isPositive();
            assertThat(e.path("clientId").asText()).isNotBlank();
            ids.add(e.path("id").asText());
        }
        assertThat(ids).as("ids are unique").hasSize(events);
        for (int i = 0; i < publishers; i++) {
            String client = "p" + i;
            assertThat(all.stream().filter(e -> e.path("clientId").asText().equals(client)).map(e -> e.path("action").asInt()).toList())
                    .as("%s: enter, then update, once each", client).containsExactly(2, 4);
        }
        assertThat(all.stream().filter(e -> e.path("clientId").asText().equals("e")).map(e -> e.path("action").asInt()).toList())
                .containsExactly(2);

        // Every presence subscriber reads the same frames; each publisher's ACK follows the echo of its events.
        for (int i = 0; i < publishers; i++) {
            List<JsonNode> got = framesUntil(pubs.get(i), f -> eventCount(f) >= events
                    && f.stream().filter(x -> x.path("action").asInt() == 1).count() == 2, "burst and two ACKs");
            assertThat(events(got)).isEqualTo(all);
            String client = "p" + i;
            int updateEcho = indexOfFrameWith(got, client, 4);
            int lastAck = -1;
            for (int k = 0; k < got.size(); k++) {
                if (got.get(k).path("action").asInt() == 1) {
                    lastAck = k;
                }
            }
            assertThat(lastAck).as("ACK of the update after its echo").isGreaterThan(updateEcho);
        }
        List<JsonNode> own = framesUntil(echoOnly, f -> f.stream().anyMatch(x -> x.path("action").asInt() == 1), "echo and ACK");
        assertThat(events(own)).extracting(e -> e.path("clientId").asText()).containsExactly("e");
        assertThat(own.get(own.size() - 1).path("action").asInt()).as("the ACK comes after the echo").isEqualTo(1);
        // Nothing else for the echo-only connection: the next event it sees is its own leave.
        echoOnly.send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":1,\"presence\":[{\"action\":3}]}");
        List<JsonNode> after = framesUntil(echoOnly, f -> f.stream().anyMatch(x -> x.path("action").asInt() == 1), "leave echo and ACK");
        assertThat(events(after)).extracting(e -> e.path("action").asInt()).containsExactly(3);

        watcher.close();
        echoOnly.close();
        pubs.forEach(RawSocket::close);
    }

    static int indexOfFrameWith(List<JsonNode> frames, String clientId, int action) {
        for (int k = 0; k < frames.size(); k++) {
            if (frames.get(k).path("action").asInt() != 14) {
                continue;
            }
            for (JsonNode e : frames.get(k).path("presence")) {
                if (e.path("clientId").asText().equals(clientId) && e.path("action").asInt() == action) {
                    return k;
                }
            }
        }
        throw new AssertionError("no event " + action + " of " + clientId);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void ablyJavaReadsEveryEventOfACoalescedBurst(boolean binary) throws Exception {
        String name = "batch-sdk-" + binary;
        int clients = 12;
        List<AblyRealtime> all = new ArrayList<>();
        try {
            AblyRealtime watcher = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, binary, o -> o.clientId = "watcher"));
            all.add(watcher);
            io.ably.lib.realtime.Channel watch = AblyJava.attached(watcher, name);
            List<PresenceMessage> seen = new CopyOnWriteArrayList<>();
            watch.presence.subscribe(seen::add);
            List<io.ably.lib.realtime.Channel> channels = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String id = "m" + i;
                AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, i % 2 == 0 ? binary : !binary, o -> o.clientId = id));
                all.add(rt);
                channels.add(AblyJava.attached(rt, name));
            }
            List<Completion> entered = new ArrayList<>();
            try (SendersHeld held = new SendersHeld(server.rollcall().node())) {
                for (io.ably.lib.realtime.Channel ch : channels) {
                    Completion c = new Completion();
                    ch.presence.enter("hi", c);
                    entered.add(c);
                }
                Await.until(() -> channel(name).memberCount() == clients, "every enter applied");
            }
            for (Completion c : entered) {
                c.ok();
            }
            Await.until(() -> seen.size() >= clients, "every enter seen");
            assertThat(seen).extracting(m -> m.clientId).doesNotHaveDuplicates().hasSize(clients);
            assertThat(seen).extracting(m -> m.action).containsOnly(PresenceMessage.Action.enter);
            for (PresenceMessage m : seen) {
                assertThat(m.id).startsWith(m.connectionId + ":");
                assertThat(m.timestamp).isPositive();
            }
            assertThat(AblyJava.members(watch)).hasSize(clients);
            // Each client knows every member too, its own among them (from the echo of its enter).
            for (io.ably.lib.realtime.Channel ch : channels) {
                assertThat(AblyJava.members(ch)).hasSize(clients);
            }
        } finally {
            all.forEach(AblyRealtime::close);
        }
    }
}
