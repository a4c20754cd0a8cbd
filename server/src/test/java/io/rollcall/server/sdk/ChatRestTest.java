package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Chat REST API v4 over plain HTTP, for what the SDK suites cannot set: a small
 * {@code maxReactionsPerMessage} and the exact error bodies. (The SDK-level behaviour is covered by
 * interop/js/test/chat.test.mjs through @ably/chat.)
 */
class ChatRestTest {
    static TestServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.maxReactionsPerMessage(2));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path, String clientId, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString(TestServer.KEY.getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json");
        if (clientId != null) {
            b.header("X-Ably-ClientId", Base64.getEncoder().encodeToString(clientId.getBytes(StandardCharsets.UTF_8)));
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reactionsPastTheLimitAreRefusedWith40009AndRemovingOneStillWorks() throws Exception {
        String base = "/chat/v4/rooms/limits-room/messages";
        HttpResponse<String> sent = call("POST", base, "alice", "{\"text\":\"hi\"}");
        assertThat(sent.statusCode()).isEqualTo(201);
        String serial = JSON.readTree(sent.body()).path("serial").asText();
        String reactions = base + "/" + serial + "/reactions";
        assertThat(call("POST", reactions, "alice", "{\"type\":\"distinct\",\"name\":\"a\"}").statusCode()).isEqualTo(201);
        assertThat(call("POST", reactions, "bob", "{\"type\":\"distinct\",\"name\":\"a\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> third = call("POST", reactions, "carol", "{\"type\":\"distinct\",\"name\":\"a\"}");
        assertThat(third.statusCode()).isEqualTo(400);
        assertThat(third.headers().firstValue("X-Ably-Errorcode")).hasValue("40009");
        assertThat(call("DELETE", reactions + "?type=distinct&name=a", "bob", null).statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(call("GET", base + "/" + serial, "alice", null).body());
        assertThat(message.path("reactions").path("distinct").path("a").path("total").asInt()).isEqualTo(1);
        assertThat(message.path("reactions").path("distinct").path("a").path("clientIds").get(0).asText()).isEqualTo("alice");
    }

    @Test
    void chatNeedsAClientIdAndAKnownSerialAndAValidBody() throws Exception {
        String base = "/chat/v4/rooms/errors-room/messages";
        HttpResponse<String> anonymous = call("POST", base, null, "{\"text\":\"hi\"}");
        assertThat(anonymous.statusCode()).isEqualTo(400);
        assertThat(anonymous.headers().firstValue("X-Ably-Errorcode")).hasValue("40012");
        HttpResponse<String> noText = call("POST", base, "alice", "{\"metadata\":{}}");
        assertThat(noText.headers().firstValue("X-Ably-Errorcode")).hasValue("40001");
        HttpResponse<String> unknown = call("GET", base + "/00000000000001-000000", "alice", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").path("code").asInt()).isEqualTo(40400);
        HttpResponse<String> badType = call("POST", base, "alice", "{\"text\":\"x\"}");
        String serial = JSON.readTree(badType.body()).path("serial").asText();
        HttpResponse<String> wrongType = call("POST", base + "/" + serial + "/reactions", "alice", "{\"type\":\"nope\",\"name\":\"a\"}");
        assertThat(wrongType.headers().firstValue("X-Ably-Errorcode")).hasValue("40001");
    }

    @Test
    void historyPagesBackwardsAndForwardsThroughEveryMessageAtItsLatestVersion() throws Exception {
        String base = "/chat/v4/rooms/paging-room/messages";
        java.util.List<String> serials = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            serials.add(JSON.readTree(call("POST", base, "alice", "{\"text\":\"m" + i + "\"}").body()).path("serial").asText());
            if (i % 3 == 0) {
                // Versions interleave with creates, so pages are read across them.
                assertThat(call("PUT", base + "/" + serials.get(i), "alice", "{\"message\":{\"text\":\"m" + i + " edited\"}}")
                        .statusCode()).isEqualTo(200);
            }
        }
        for (String direction : new String[] {"backwards", "forwards"}) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            String next = base + "?limit=40&direction=" + direction;
            while (next != null) {
                HttpResponse<String> page = call("GET", next, "alice", null);
                for (JsonNode m : JSON.readTree(page.body())) {
                    int i = Integer.parseInt(m.path("text").asText().split("[m ]")[1]);
                    assertThat(m.path("text").asText()).isEqualTo(i % 3 == 0 ? "m" + i + " edited" : "m" + i);
                    assertThat(m.path("action").asText()).isEqualTo(i % 3 == 0 ? "message.update" : "message.create");
                    seen.add(m.path("serial").asText());
                }
                java.util.regex.Matcher link = java.util.regex.Pattern.compile("<\\./messages([^>]*)>; rel=\"next\"")
                        .matcher(page.headers().firstValue("Link").orElse(""));
                next = link.find() ? base + link.group(1) : null;
            }
            java.util.List<String> expected = new java.util.ArrayList<>(serials);
            if (direction.equals("backwards")) {
                java.util.Collections.reverse(expected);
            }
            assertThat(seen).as(direction).isEqualTo(expected);
        }
    }
}
