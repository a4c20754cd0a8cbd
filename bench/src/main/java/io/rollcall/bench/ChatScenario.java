package io.rollcall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Scenario: the Chat REST API on a room holding M messages, one client in sequence (JSON): sending, reading a
 * history page of 50 (newest first), getting one message, and adding a reaction (which also reads and
 * publishes the message's summary). A Chat read folds the room's retained history, so it grows with M
 * (bounded by {@code historyMaxMessages}). Rollcall only: the bare reference has no Chat API.
 */
final class ChatScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int messages;
    private final int reads;

    ChatScenario(int messages, int reads) {
        this.messages = messages;
        this.reads = reads;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("chat").param("messages", messages).param("reads", reads).param("format", "json");
        try (Target t = Target.rollcall(serverJar, List.of("historyMaxMessages=" + Math.max(1000, messages)))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + t.port() + "/chat/v4/rooms/bench-room/messages";
            List<String> serials = new ArrayList<>(messages);
            Histogram send = measure(messages, i -> {
                JsonNode sent = call(http, "POST", base, "{\"text\":\"message " + i + "\"}", 201);
                serials.add(sent.path("serial").asText());
                return null;
            });
            report(r, "send", send);
            report(r, "history_page_50", measure(reads, i -> call(http, "GET", base + "?limit=50&direction=backwards", null, 200)));
            report(r, "get_one", measure(reads, i -> call(http, "GET", base + "/" + serials.get(i * 7 % serials.size()), null, 200)));
            report(r, "reaction_send", measure(reads, i -> call(http, "POST",
                    base + "/" + serials.get(i % serials.size()) + "/reactions", "{\"type\":\"distinct\",\"name\":\"+1\"}", 201)));
        }
        return r;
    }

    private interface Step {
        Object run(int i) throws Exception;
    }

    private static Histogram measure(int n, Step step) throws Exception {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            step.run(i);
            h.recordValue(System.nanoTime() - s);
        }
        return h;
    }

    private static void report(Result r, String name, Histogram h) {
        r.put(Target.Kind.ROLLCALL, name + "_p50", h.getValueAtPercentile(50) / 1e6, "ms");
        r.put(Target.Kind.ROLLCALL, name + "_p99", h.getValueAtPercentile(99) / 1e6, "ms");
    }

    private static JsonNode call(HttpClient http, String method, String url, String body, int expect) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(Target.KEY.getBytes(StandardCharsets.UTF_8)))
                .header("X-Ably-ClientId", Base64.getEncoder().encodeToString("bench".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != expect) {
            throw new IllegalStateException(method + " " + url + " answered " + res.statusCode() + ": " + res.body());
        }
        return JSON.readTree(res.body());
    }
}
