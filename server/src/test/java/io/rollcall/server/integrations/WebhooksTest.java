package io.rollcall.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.rollcall.server.Rollcall;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.config.Limits;
import io.rollcall.server.config.ServerConfig;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.Outbox;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.RedisProcess;
import io.rollcall.server.testing.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks to a real local HTTP receiver, driven by real ably-java clients. */
class WebhooksTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    Rollcall server(String webhooksYaml, Path configFile) throws Exception {
        ServerConfig.Builder b = ServerConfig.builder().port(0)
                .keys(List.of(ApiKey.parse(TestServer.KEY)))
                .limits(Limits.builder().presenceGrace(Duration.ofSeconds(1)).occupancyInterval(Duration.ofMillis(100)).build())
                .webhooks(YAML.readTree(webhooksYaml).get("webhooks"))
                .configFile(configFile);
        if (TestServer.ENGINE.equals("redis")) {
            // The same behaviour from the cluster engine's outbox (items in Redis streams), on one node.
            RedisProcess redis = RedisProcess.start();
            open.add(redis);
            b.engine("redis").redisUri(redis.uri());
        }
        Rollcall r = Rollcall.start(b.build());
        open.add(r);
        return r;
    }

    AblyRealtime client(Rollcall r, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(r.port(), TestServer.KEY, true, o -> o.clientId = clientId));
        open.add(rt::close);
        return rt;
    }

    Receiver receiver(int port) throws Exception {
        Receiver rx = new Receiver(port);
        open.add(rx);
        return rx;
    }

    static Channel attach(AblyRealtime rt, String name) {
        Channel ch = rt.channels.get(name);
        Completion c = new Completion();
        try {
            ch.attach(c);
        } catch (io.ably.lib.types.AblyException e) {
            throw new AssertionError(e);
        }
        c.ok();
        return ch;
    }

    static String rule(String id, String source, String filter, String url, String extra) {
        return "  - id: " + id + "\n    source: " + source + "\n    channelFilter: '" + filter + "'\n    url: " + url
                + "\n    signingKey: testapp.all\n    batchMaxAgeMs: 50\n" + extra;
    }

    @Test
    void occupancyChangesArriveSignedAndFiltered() throws Exception {
        Receiver rx = receiver(0);
        Rollcall r = server("webhooks:\n" + rule("occ", "channel.occupancy", "^hooked", rx.url(), "    headers: {X-Team: chat}\n"), null);
        AblyRealtime a = client(r, "a");
        attach(a, "unhooked");
        attach(a, "hooked-1");
        JsonNode item = Await.value(() -> rx.items().stream()
                .filter(i -> i.path("data").path("status").path("occupancy").path("metrics").path("connections").asInt() == 1)
                .findFirst().orElse(null), x -> x != null, "occupancy webhook");
        assertThat(item.path("webhookId").asText()).isEqualTo("occ");
        assertThat(item.path("source").asText()).isEqualTo("channel.occupancy");
        assertThat(item.path("id").asText()).isNotBlank();
        assertThat(item.path("serial").asText()).isNotBlank();
        assertThat(item.path("data").path("channelId").asText()).isEqualTo("hooked-1");
        assertThat(item.path("data").path("name").asText()).isEqualTo("hooked-1");
        assertThat(item.path("data").path("status").path("isActive").asBoolean()).isTrue();
        assertThat(rx.items()).noneMatch(i -> i.path("data").path("channelId").asText().equals("unhooked"));
        Receiver.Request req = rx.accepted.get(0);
        String secret = TestServer.KEY.substring(TestServer.KEY.indexOf(':') + 1);
        assertThat(req.header("X-Ably-Signature")).isEqualTo(WebhookTarget.sign(secret, req.body()));
        assertThat(req.header("X-Ably-Key")).isEqualTo("testapp.all");
        assertThat(req.header("X-Ably-Version")).isEqualTo("1.2");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(req.header("X-Team")).isEqualTo("chat");
    }

    @Test
    void aFailingThenRecoveringReceiverGetsEveryPresenceEventAndTheFinalOccupancy() throws Exception {
        Receiver rx = receiver(0);
        rx.failStatus = 503;
        Rollcall r = server("webhooks:\n" + rule("pres", "channel.presence", "^room", rx.url(), "")
                + rule("occ", "channel.occupancy", "^room", rx.url(), ""), null);
        AblyRealtime a = client(r, "alice");
        Channel ch = attach(a, "room-1");
        for (int i = 0; i < 5; i++) {
            Completion c = new Completion();
            if (i == 0) {
                ch.presence.enter("v0", c);
            } else {
                ch.presence.update("v" + i, c);
            }
            c.ok();
        }
        Completion leave = new Completion();
        ch.presence.leave(leave);
        leave.ok();
        Await.until(() -> rx.refused.get() >= 2, "deliveries failing");
        rx.failStatus = 0;
        Await.until(() -> presenceData(rx).size() == 6, "every presence event after recovery");
        assertThat(presenceData(rx)).containsExactly("v0", "v1", "v2", "v3", "v4", "v4");
        Await.until(() -> {
            List<JsonNode> occ = rx.items().stream().filter(i -> i.path("source").asText().equals("channel.occupancy")).toList();
            return !occ.isEmpty() && occ.get(occ.size() - 1).path("data").path("status").path("occupancy").path("metrics")
                    .path("presenceMembers").asInt() == 0
                    && occ.get(occ.size() - 1).path("data").path("status").path("occupancy").path("metrics").path("connections").asInt() == 1;
        }, "final occupancy value");
        String metrics = new String(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + r.port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
        assertThat(metrics).contains("rollcall_webhook_delivered_total{webhook=\"pres\"}", "rollcall_webhook_retried_total{webhook=\"pres\"}",
                "rollcall_webhook_queue_depth{webhook=\"pres\"}");
    }

    static List<String> presenceData(Receiver rx) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : rx.items()) {
            if (i.path("source").asText().equals("channel.presence")) {
                i.path("data").path("presence").forEach(p -> out.add(p.path("data").asText()));
            }
        }
        return out;
    }

    @Test
    void aStalledReceiverThatRecoversGetsEverything() throws Exception {
        Receiver rx = receiver(0);
        rx.stall = new CountDownLatch(1);
        Rollcall r = server("webhooks:\n" + rule("pres", "channel.presence", ".*", rx.url(), ""), null);
        AblyRealtime a = client(r, "sam");
        Channel ch = attach(a, "stall");
        for (int i = 0; i < 3; i++) {
            Completion c = new Completion();
            ch.presence.update("s" + i, c);
            c.ok();
        }
        rx.stall.countDown();
        Await.until(() -> presenceData(rx).equals(List.of("s0", "s1", "s2")), "all three, in order");
    }

    @Test
    void aRestartedTargetGetsAChannelsEventsInOrder() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Rollcall r = server("webhooks:\n" + rule("pres", "channel.presence", ".*", "http://127.0.0.1:" + port + "/hook", "    batchMaxItems: 2\n"), null);
        AblyRealtime a = client(r, "ord");
        Channel ch = attach(a, "ordered");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Completion c = new Completion();
            ch.presence.update("o" + i, c);
            c.ok();
            expected.add("o" + i);
        }
        // The receiver was down while those happened; it comes up on the same address.
        Receiver rx = receiver(port);
        Await.until(() -> presenceData(rx).size() == 8, "all eight after the restart");
        assertThat(presenceData(rx)).containsExactlyElementsOf(expected);
        List<Long> serials = rx.items().stream().map(i -> Long.parseLong(i.path("serial").asText())).toList();
        assertThat(serials).isSorted();
        assertThat(rx.items().stream().map(i -> i.path("id").asText()).distinct().count()).isEqualTo(rx.items().size());
    }

    @Test
    void aStalledRequestHoldsOnlyTheChannelsOfItsShard() throws Exception {
        Receiver rx = receiver(0);
        String stalledChannel = "shard-stalled";
        int stalledShard = Outbox.shard(new ChannelKey(TestServer.APP, stalledChannel));
        List<String> others = new ArrayList<>();
        for (int i = 0; others.size() < 3; i++) {
            String name = "shard-other-" + i;
            if (Outbox.shard(new ChannelKey(TestServer.APP, name)) != stalledShard) {
                others.add(name);
            }
        }
        // Only requests carrying the stalled channel's items hang (as if its shard's request met a stall).
        rx.stallOnly = body -> body.toString().contains(stalledChannel);
        CountDownLatch stall = new CountDownLatch(1);
        rx.stall = stall;
        Rollcall r = server("webhooks:\n" + rule("pres", "channel.presence", "^shard-", rx.url(), ""), null);
        AblyRealtime a = client(r, "st");
        AblyJava.enter(attach(a, stalledChannel), "first");
        Await.until(() -> rx.stalled.get() == 1, "the first request stalls");
        for (String name : others) {
            AblyJava.enter(attach(a, name), "later");
        }
        // While the stalled request still hangs (it is never answered until released).
        Await.until(() -> presenceChannels(rx).containsAll(others), "the other shards' items");
        assertThat(presenceChannels(rx)).doesNotContain(stalledChannel);
        rx.stall = null;
        stall.countDown();
        Await.until(() -> presenceChannels(rx).contains(stalledChannel), "the stalled item, once the receiver answers");
    }

    static java.util.Set<String> presenceChannels(Receiver rx) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (JsonNode i : rx.items()) {
            out.add(i.path("data").path("channelId").asText());
        }
        return out;
    }

    @Test
    void aReadingAlreadyAttemptedIsNeverReplacedUnderItsId() throws Exception {
        Receiver rx = receiver(0);
        rx.failStatus = 503;
        Rollcall r = server("webhooks:\n" + rule("occ", "channel.occupancy", "^counted", rx.url(), ""), null);
        attach(client(r, "one"), "counted");
        Await.until(() -> rx.refused.get() >= 1, "the first reading attempted");
        attach(client(r, "two"), "counted");
        attach(client(r, "three"), "counted");
        Await.until(() -> rx.refused.get() >= 3, "attempted again");
        rx.failStatus = 0;
        Await.until(() -> {
            JsonNode m = ReceiverModel.of(rx).occupancy("counted");
            return m != null && m.path("connections").asInt() == 3;
        }, "the latest reading has the highest serial");
        assertThat(ReceiverModel.idsWithDifferentContent(rx)).isEmpty();
        // The reading attempted first is delivered as it was first sent.
        JsonNode first = Receiver.items(List.of(rx.attempts.get(0))).get(0);
        assertThat(rx.items()).anyMatch(i -> i.equals(first));
    }

    @Test
    void lifecycleEventsAndMsgpackBodies() throws Exception {
        Receiver rx = receiver(0);
        Rollcall r = server("webhooks:\n" + rule("life", "channel.lifecycle", "^life", rx.url(), "    format: msgpack\n"), null);
        AblyRealtime a = client(r, "lc");
        Channel ch = attach(a, "life-1");
        Completion d = new Completion();
        ch.detach(d);
        d.ok();
        Await.until(() -> rx.items().size() == 2, "opened and closed");
        assertThat(rx.items()).extracting(i -> i.path("name").asText()).containsExactly("channel.opened", "channel.closed");
        assertThat(rx.items().get(1).path("data").path("status").path("isActive").asBoolean()).isFalse();
        assertThat(rx.accepted.get(0).header("Content-Type")).isEqualTo("application/x-msgpack");
    }

    @Test
    void rulesAreReloadedWhenTheConfigFileChanges() throws Exception {
        Receiver rx = receiver(0);
        Path file = dir.resolve("rollcall.yaml");
        Files.writeString(file, "webhooks:\n" + rule("one", "channel.lifecycle", "^first", rx.url(), ""));
        Rollcall r = server(Files.readString(file), file);
        AblyRealtime a = client(r, "rl");
        attach(a, "second-before");
        attach(a, "first-1");
        Await.until(() -> rx.items().size() == 1, "first rule");
        Files.writeString(file, "webhooks:\n" + rule("one", "channel.lifecycle", "^first", rx.url(), "")
                + rule("two", "channel.lifecycle", "^second", rx.url(), ""));
        Await.until(() -> {
            attach(a, "second-" + System.nanoTime());
            return rx.items().stream().anyMatch(i -> i.path("webhookId").asText().equals("two"));
        }, "the new rule delivers");
        // An invalid file is ignored: the rules in force stay.
        Files.writeString(file, "webhooks:\n  - id: broken\n    source: nope\n");
        int before = rx.items().size();
        Await.until(() -> {
            attach(a, "first-" + System.nanoTime());
            return rx.items().size() > before;
        }, "old rules still deliver");
    }

    @Test
    void badRulesAreRejectedAtStartWithAClearMessage() {
        String[][] cases = {
            {"  - id: x\n    source: channel.weather\n    url: http://h/\n", "'source' must be"},
            {"  - id: x\n    source: channel.presence\n    channelFilter: '(['\n    url: http://h/\n", "not a valid regular expression"},
            {"  - id: x\n    source: channel.presence\n    url: ftp://h/\n", "http or https"},
            {"  - id: x\n    source: channel.presence\n    url: http://h/\n    signingKey: nosuch.key\n", "names no configured key"},
            {"  - source: channel.presence\n    url: http://h/\n", "'id' is required"},
            {"  - id: x\n    source: channel.presence\n    url: http://h/\n  - id: x\n    source: channel.occupancy\n    url: http://h/\n", "duplicate id"},
            {"  - id: x\n    source: channel.presence\n    url: http://h/\n    colour: red\n", "unknown field 'colour'"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> ServerConfig.builder().keys(List.of(ApiKey.parse(TestServer.KEY)))
                    .webhooks(YAML.readTree("webhooks:\n" + c[0]).get("webhooks")).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
    }
}
