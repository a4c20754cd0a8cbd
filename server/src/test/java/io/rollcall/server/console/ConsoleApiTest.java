package io.rollcall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ably.lib.realtime.AblyRealtime;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's REST endpoints answer only what the key's capability covers, in its own app. */
class ConsoleApiTest {
    private static final String ROOMS_KEY = "testapp.rooms:roomsecret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void capabilityLimitsWhatTheConsoleSees() throws Exception {
        List<ApiKey> keys = List.of(ApiKey.parse(TestServer.KEY), ApiKey.parse(ROOMS_KEY, "{\"room:*\":[\"channel-metadata\",\"subscribe\"]}"),
                ApiKey.parse(TestServer.OTHER_APP_KEY));
        List<AblyRealtime> clients = new ArrayList<>();
        try (TestServer server = TestServer.start(l -> l, c -> c.keys(keys))) {
            for (String channel : new String[] {"room:a", "room:b", "secret"}) {
                AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, true, o -> o.clientId = "u-" + channel));
                clients.add(rt);
                AblyJava.enter(AblyJava.attached(rt, channel), "d");
            }
            // room:b gets a second connection, so sorting by connections has a winner.
            AblyRealtime extra = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, true, o -> { }));
            clients.add(extra);
            AblyJava.attached(extra, "room:b");

            JsonNode all = get(server, TestServer.KEY, "channels?sort=connections&order=desc");
            assertThat(all.get("total").asInt()).isEqualTo(3);
            assertThat(all.get("items").get(0).get("name").asText()).isEqualTo("room:b");
            assertThat(all.get("items").get(0).get("metrics").get("connections").asInt()).isEqualTo(2);

            JsonNode rooms = get(server, ROOMS_KEY, "channels");
            assertThat(names(rooms)).containsExactly("room:a", "room:b");
            assertThat(names(get(server, ROOMS_KEY, "channels?filter=b"))).containsExactly("room:b");
            assertThat(names(get(server, ROOMS_KEY, "channels?limit=1&offset=1"))).containsExactly("room:b");
            assertThat(get(server, ROOMS_KEY, "channels/room%3Aa/members").get("items").get(0).get("clientId").asText()).isEqualTo("u-room:a");
            assertThat(status(server, ROOMS_KEY, "channels/secret/members")).isEqualTo(401);
            assertThat(status(server, ROOMS_KEY, "webhooks")).isEqualTo(401);
            assertThat(status(server, ROOMS_KEY, "nodes")).isEqualTo(401);
            assertThat(get(server, TestServer.OTHER_APP_KEY, "channels").get("total").asInt()).isZero();
            assertThat(status(server, "testapp.all:wrong", "whoami")).isEqualTo(401);
            assertThat(status(server, null, "whoami")).isEqualTo(401);
            assertThat(status(server, TestServer.KEY, "channels?sort=nonsense")).isEqualTo(400);
        } finally {
            clients.forEach(AblyRealtime::close);
        }
    }

    @Test
    void nodeListInClusterMode() throws Exception {
        try (io.rollcall.server.testing.TestCluster cluster = io.rollcall.server.testing.TestCluster.start(2)) {
            String self = cluster.node(0).rollcall().node().nodeId();
            String other = cluster.node(1).rollcall().node().nodeId();
            io.rollcall.server.testing.Await.until(() -> {
                try {
                    return get(cluster.node(0), TestServer.KEY, "nodes").get("items").size() == 2;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "both nodes listed");
            JsonNode items = get(cluster.node(0), TestServer.KEY, "nodes").get("items");
            List<String> ids = new ArrayList<>();
            for (JsonNode n : items) {
                ids.add(n.get("nodeId").asText());
                assertThat(n.get("self").asBoolean()).isEqualTo(n.get("nodeId").asText().equals(self));
                assertThat(n.get("leaseExpires").asLong()).isGreaterThan(System.currentTimeMillis() - 5_000);
            }
            assertThat(ids).containsExactlyInAnyOrder(self, other);
        }
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("name").asText()));
        return out;
    }

    private static JsonNode get(TestServer server, String key, String path) throws Exception {
        HttpResponse<String> r = send(server, key, path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int status(TestServer server, String key, String path) throws Exception {
        HttpResponse<String> r = send(server, key, path);
        // A refusal never carries a Basic challenge: a browser would prompt instead of the page saying why.
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        return r.statusCode();
    }

    private static HttpResponse<String> send(TestServer server, String key, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/console/api/" + path));
        if (key != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(key.getBytes()));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
