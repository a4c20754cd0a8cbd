package io.rollcall.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.ErrorInfo;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RedisProcess;
import io.rollcall.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scrapes {@code /metrics} while real ably-java clients publish, subscribe and enter presence, and checks
 * every series the README's Metrics table documents (the table is read from README.md, so a series added
 * there without being exported, or renamed in code, fails here), and that the load moved them.
 */
class MetricsScrapeTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\|.*$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SUBSCRIBERS = 10;

    @Test
    void everyDocumentedSeriesUnderLoadOnTheMemoryEngine() throws Exception {
        var hooks = new ObjectMapper().readTree("[{\"id\": \"idle-rule\", \"source\": \"channel.presence\", \"channelFilter\": \"^never$\", \"url\": \"http://127.0.0.1:9/none\"}]");
        try (TestServer server = TestServer.start(l -> l.maxInboundRate(50), c -> c.webhooks(hooks))) {
            String scrape = load(server);
            Map<String, Boolean> documented = documentedSeries();
            List<String> missing = new ArrayList<>();
            documented.forEach((name, redisOnly) -> {
                if (!redisOnly && !has(scrape, name)) {
                    missing.add(name);
                }
            });
            assertThat(missing).as("documented series missing from /metrics:\n" + scrape).isEmpty();
            assertThat(documented).hasSizeGreaterThan(40);
            // Webhook series exist from the start, at zero, before the rule ever fired.
            assertThat(value(scrape, "rollcall_webhook_delivered_total{webhook=\"idle-rule\"}")).isZero();
            assertThat(value(scrape, "rollcall_webhook_queue_depth{webhook=\"idle-rule\"}")).isZero();
            // An app nobody has used yet (its key is configured) has its series at zero.
            assertThat(value(scrape, "rollcall_messages_in_total{app=\"otherapp\"}")).isZero();
        }
    }

    @Test
    void redisSeriesOnTheRedisEngine() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             TestServer server = TestServer.start(l -> l.maxInboundRate(50).nodeLease(Duration.ofMillis(600)),
                     c -> c.engine("redis").redisUri(redis.uri()))) {
            String scrape = load(server);
            List<String> missing = new ArrayList<>();
            documentedSeries().forEach((name, redisOnly) -> {
                if (!name.startsWith("rollcall_webhook") && !has(scrape, name)) {
                    missing.add(name);
                }
            });
            assertThat(missing).as("documented series missing from /metrics:\n" + scrape).isEmpty();
            assertThat(value(scrape, "rollcall_redis_connected")).isEqualTo(1);
            assertThat(value(scrape, "rollcall_redis_roundtrip_seconds_count")).isPositive();
            assertThat(value(scrape, "rollcall_cluster_nodes")).isEqualTo(1);
            // The outage state shows while Redis is away.
            redis.down();
            Await.until(() -> value(scrape(server), "rollcall_redis_connected") == 0, "outage shown");
            redis.up();
            Await.until(() -> value(scrape(server), "rollcall_redis_connected") == 1, "recovery shown");
        }
    }

    @Test
    void theGrafanaDashboardUsesOnlyDocumentedSeries() throws Exception {
        var dashboard = new ObjectMapper().readTree(Path.of("../docs/grafana-dashboard.json").toFile());
        java.util.Set<String> documented = new java.util.HashSet<>();
        documentedSeries().keySet().forEach(n -> documented.add(base(n)));
        List<String> used = new ArrayList<>();
        Matcher m = Pattern.compile("\\b((?:rollcall|jvm|process|system)_[a-z0-9_]+)").matcher("");
        for (var panel : dashboard.path("panels")) {
            for (var target : panel.path("targets")) {
                m.reset(target.path("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(30);
        assertThat(used).allSatisfy(name -> assertThat(documented).as("documented in the README").contains(base(name)));
        // The dashboard covers every rollcall series family the README lists.
        java.util.Set<String> usedBases = new java.util.HashSet<>();
        used.forEach(n -> usedBases.add(base(n)));
        documentedSeries().keySet().stream().filter(n -> n.startsWith("rollcall_"))
                .forEach(n -> assertThat(usedBases).as("on the dashboard").contains(base(n)));
    }

    @Test
    void aSlowConsumerDisconnectIsCounted() throws Exception {
        try (TestServer server = TestServer.start(l -> l.outboundQueueMessages(10))) {
            // A client that attaches, then stops reading: its socket backs up, then its bounded queue fills.
            java.util.concurrent.CompletableFuture<Void> attached = new java.util.concurrent.CompletableFuture<>();
            var ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + server.port()
                    + "/?format=json&v=6&key=" + TestServer.KEY), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            if (data.toString().contains("\"action\":11")) {
                                attached.complete(null); // ATTACHED: from here on nothing more is requested (read)
                            } else {
                                w.request(1);
                            }
                            return null;
                        }
                    }).join();
            ws.sendText("{\"action\":10,\"channel\":\"slow\"}", true).join();
            attached.get(10, java.util.concurrent.TimeUnit.SECONDS);
            String body = "{\"name\":\"big\",\"data\":\"" + "x".repeat(60_000) + "\"}";
            String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(TestServer.KEY.getBytes());
            for (int i = 0; i < 400 && value(scrape(server), "rollcall_slow_consumer_disconnects_total{app=\"testapp\"}") == 0; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/channels/slow/messages"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(201);
            }
            Await.until(() -> value(scrape(server), "rollcall_slow_consumer_disconnects_total{app=\"testapp\"}") == 1,
                    "the slow consumer counted");
            ws.abort();
        }
    }

    /** A histogram's or timer's name without its sample suffix. */
    private static String base(String name) {
        return name.replaceAll("_(bucket|count|sum|max)$", "");
    }

    /** Subscribers, members and a publisher past its rate limit, scraping meanwhile; returns the last scrape. */
    private static String load(TestServer server) throws Exception {
        List<AblyRealtime> clients = new ArrayList<>();
        try {
            AtomicInteger received = new AtomicInteger();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, i % 2 == 0,
                        o -> o.clientId = "sub-" + clients.size()));
                clients.add(rt);
                Channel ch = AblyJava.attached(rt, "load");
                ch.subscribe(m -> received.incrementAndGet());
                AblyJava.enter(ch, "here");
            }
            AblyRealtime publisher = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, true, o -> o.clientId = "pub"));
            clients.add(publisher);
            Channel out = AblyJava.attached(publisher, "load");
            AtomicInteger acked = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<String> scrapes = new ArrayList<>();
            for (int burst = 0; burst < 4; burst++) {
                // 100 at once against a limit of 50/s: some are refused with 42911.
                for (int i = 0; i < 100; i++) {
                    out.publish("tick", "payload-" + i, new CompletionListener() {
                        @Override public void onSuccess() { acked.incrementAndGet(); }
                        @Override public void onError(ErrorInfo reason) {
                            if (reason.code == 42911) refused.incrementAndGet();
                        }
                    });
                }
                scrapes.add(scrape(server));
            }
            Await.until(() -> acked.get() + refused.get() == 400, "every publish answered");
            Await.until(() -> received.get() == acked.get() * SUBSCRIBERS, "every accepted message delivered");
            assertThat(refused.get()).isPositive();
            // A wrong secret over REST and over the socket: auth failures by code.
            HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/channels/load"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("testapp.all:wrong".getBytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(401);
            System.gc(); // a collection after the server started, so the GC pause series exists
            for (String s : scrapes) {
                assertThat(s).contains("rollcall_app_connections{app=\"testapp\"}");
            }
            String during = scrapes.get(scrapes.size() - 1);
            assertThat(value(during, "rollcall_app_connections{app=\"testapp\"}")).isEqualTo(SUBSCRIBERS + 1);
            assertThat(value(during, "rollcall_app_presence_members{app=\"testapp\"}")).isEqualTo(SUBSCRIBERS);
            String[] last = new String[1];
            Await.until(() -> has(last[0] = scrape(server), "jvm_gc_pause_seconds_count"), "a GC pause recorded");
            String after = last[0];
            assertThat(value(after, "rollcall_messages_in_total{app=\"testapp\"}")).isEqualTo(acked.get());
            assertThat(value(after, "rollcall_rate_limited_total{app=\"testapp\"}")).isEqualTo(refused.get());
            assertThat(value(after, "rollcall_messages_out_total{app=\"testapp\"}")).isGreaterThanOrEqualTo(acked.get() * SUBSCRIBERS);
            // One sample per app per event-loop write turn: a turn may write to every socket of the loop, so at
            // least one per loop that wrote and at most one per delivery (the publisher gets its own messages
            // too, by echo).
            assertThat(value(after, "rollcall_delivery_latency_seconds_count{app=\"testapp\"}"))
                    .isBetween(1.0, (double) acked.get() * (SUBSCRIBERS + 1));
            assertThat(value(after, "rollcall_auth_failures_total{code=\"40101\"}")).isEqualTo(1);
            assertThat(value(after, "rollcall_app_channels{app=\"testapp\"}")).isEqualTo(1);
            return after;
        } finally {
            clients.forEach(AblyRealtime::close);
        }
    }

    private static String scrape(TestServer server) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Series name → whether the README says it exists on the Redis engine only. */
    static Map<String, Boolean> documentedSeries() throws IOException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("../README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Metrics");
            }
            Matcher m = ROW.matcher(line);
            if (inSection && m.matches()) {
                out.put(m.group(1), line.contains("Redis engine only"));
            }
        }
        return out;
    }

    private static boolean has(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return true;
            }
        }
        return false;
    }

    /** The sum of the series' samples (an exact series with labels, or a name over all its labels). */
    private static double value(String scrape, String series) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ") || (!series.contains("{") && line.startsWith(series + "{"))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
