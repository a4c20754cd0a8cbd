package io.rollcall.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.config.ConfigFile;
import io.rollcall.server.config.SandboxSettings;
import io.rollcall.server.config.ServerConfig;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox API ({@code POST /apps}, {@code DELETE /apps/{id}}): who may use it, and apps ably-java can use. */
class SandboxApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SPEC = """
            {"keys":[{},{"capability":"{\\"channel2\\":[\\"publish\\",\\"subscribe\\"]}"}],
             "namespaces":[{"id":"persisted","persisted":true}],
             "channels":[{"name":"persisted:presence_fixtures","presence":[
               {"clientId":"client_bool","data":"true"},
               {"clientId":"client_json","data":"{\\"a\\":1}","encoding":"json"}]}]}""";

    static HttpResponse<String> post(int port, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apps"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> delete(int port, String appId, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apps/" + appId)).DELETE();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(key.getBytes());
    }

    @Test
    void onLoopbackTheApiIsOpenAndItsAppsAreFullApps() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> res = post(server.port(), SPEC, null);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
            JsonNode app = JSON.readTree(res.body());
            assertThat(app.path("keys")).hasSize(2);
            assertThat(app.path("namespaces")).hasSize(1);
            assertThat(app.path("port").asInt()).isEqualTo(server.port());
            assertThat(app.path("endpoint").asText()).isEqualTo("127.0.0.1");
            assertThat(app.path("tls").asBoolean(true)).isFalse();
            String appId = app.path("appId").asText();
            String key0 = app.path("keys").get(0).path("keyStr").asText();
            String key1 = app.path("keys").get(1).path("keyStr").asText();
            assertThat(key0).startsWith(appId + ".");
            assertThat(JSON.readTree(app.path("keys").get(1).path("capability").asText()).path("channel2").size()).isEqualTo(2);

            for (boolean binary : new boolean[] {false, true}) {
                AblyRest rest = new AblyRest(AblyJava.options(server.port(), key0, binary));
                PaginatedResult<PresenceMessage> members = rest.channels.get("persisted:presence_fixtures").presence.get(null);
                assertThat(members.items()).extracting(m -> m.clientId).containsExactlyInAnyOrder("client_bool", "client_json");
                assertThat(members.items()).extracting(m -> m.action).containsOnly(PresenceMessage.Action.present);
                // The key's capability holds: presence on channel2 is not within it.
                AblyRest limited = new AblyRest(AblyJava.options(server.port(), key1, binary));
                io.ably.lib.types.AblyException denied = org.junit.jupiter.api.Assertions.assertThrows(
                        io.ably.lib.types.AblyException.class, () -> limited.channels.get("other").presence.get(null));
                assertThat(denied.errorInfo.code).isEqualTo(40160);
                limited.channels.get("channel2").publish("n", "allowed");
            }
            // Open on loopback: no credentials needed; then the app is gone.
            assertThat(delete(server.port(), appId, null).statusCode()).isEqualTo(200);
            assertThat(delete(server.port(), appId, null).statusCode()).isEqualTo(404);
        }
    }

    /** Open on loopback means open to local programs and local pages, not to any site the browser shows. */
    @Test
    void theOpenApiRefusesPagesFromOtherOrigins() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String origin : new String[] {"https://evil.example", "http://127.0.0.1.evil.example:8080", "null"}) {
                HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/apps"))
                        .header("Content-Type", "application/json").header("Origin", origin)
                        .POST(HttpRequest.BodyPublishers.ofString(SPEC)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as(origin).isEqualTo(403);
                assertThat(JSON.readTree(res.body()).path("error").path("code").asInt()).isEqualTo(40300);
            }
            for (String origin : new String[] {"http://localhost:9876", "http://127.0.0.1:8080", "http://[::1]:3000"}) {
                HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/apps"))
                        .header("Content-Type", "application/json").header("Origin", origin)
                        .POST(HttpRequest.BodyPublishers.ofString(SPEC)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as(origin).isEqualTo(201);
            }
        }
    }

    @Test
    void anAppsOwnKeyIsNeededToDeleteItWhenAnAdminSecretIsSet() throws Exception {
        try (TestServer server = TestServer.start(l -> l, c -> c.sandbox(new SandboxSettings(true, "adm1n")))) {
            assertThat(post(server.port(), SPEC, null).statusCode()).isEqualTo(401);
            assertThat(post(server.port(), SPEC, "Bearer wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> res = post(server.port(), SPEC, "Bearer adm1n");
            assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
            JsonNode app = JSON.readTree(res.body());
            String appId = app.path("appId").asText();
            assertThat(delete(server.port(), appId, basic(TestServer.KEY)).statusCode()).isEqualTo(401);
            assertThat(delete(server.port(), appId, basic(app.path("keys").get(1).path("keyStr").asText())).statusCode())
                    .isEqualTo(200);
            AblyRest gone = new AblyRest(AblyJava.options(server.port(), app.path("keys").get(0).path("keyStr").asText(), false));
            io.ably.lib.types.AblyException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.ably.lib.types.AblyException.class, () -> gone.channels.get("x").presence.get(null));
            assertThat(e.errorInfo.code).isEqualTo(40101);
        }
    }

    @Test
    void onAnyOtherBindTheApiNeedsAnAdminSecret() throws Exception {
        try (TestServer open = TestServer.start(l -> l, c -> c.host("0.0.0.0"))) {
            HttpResponse<String> res = post(open.port(), SPEC, null);
            assertThat(res.statusCode()).isEqualTo(404);
            assertThat(res.headers().firstValue("X-Ably-Errorcode")).hasValue("40400");
        }
        try (TestServer secret = TestServer.start(l -> l, c -> c.host("0.0.0.0").sandbox(new SandboxSettings(true, "adm1n")))) {
            assertThat(post(secret.port(), SPEC, null).statusCode()).isEqualTo(401);
            assertThat(post(secret.port(), SPEC, "Bearer adm1n").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void theApiCanBeSwitchedOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rollcall.yaml");
        Files.writeString(file, "sandbox: false\n");
        ServerConfig.Builder b = ConfigFile.read(file, ServerConfig.builder());
        assertThat(b.sandbox().enabled()).isFalse();
        Files.writeString(file, "sandbox: {enabled: true, adminSecret: s3cret}\n");
        assertThat(ConfigFile.read(file, ServerConfig.builder()).sandbox()).isEqualTo(new SandboxSettings(true, "s3cret"));
        try (TestServer off = TestServer.start(l -> l, c -> c.sandbox(new SandboxSettings(false, null)))) {
            assertThat(post(off.port(), SPEC, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aBadSpecIs40000AndCreatesNothing() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String bad : new String[] {"[1]", "{\"keys\":[{\"capability\":\"{\\\"*\\\":[\\\"fly\\\"]}\"}]}",
                    "{\"namespaces\":[{}]}", "{\"channels\":[{\"name\":\"x\",\"presence\":[{\"data\":\"no client\"}]}]}"}) {
                HttpResponse<String> res = post(server.port(), bad, null);
                assertThat(res.statusCode()).as(bad).isEqualTo(400);
                assertThat(JSON.readTree(res.body()).path("error").path("code").asInt()).isEqualTo(40000);
            }
        }
    }
}
