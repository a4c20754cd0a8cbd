package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** REST endpoints through ably-java's typed REST client and plain HTTP. */
class RestApiTest {
    static TestServer server;
    static AblyRealtime members;
    static final String CHANNEL = "rest-presence";
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        members = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, true, o -> { }));
        Channel ch = members.channels.get(CHANNEL);
        Completion attached = new Completion();
        ch.attach(attached);
        attached.ok();
        for (int i = 0; i < 25; i++) {
            Completion c = new Completion();
            ch.presence.enterClient("user-" + i, "data-" + i, c);
            c.ok();
        }
    }

    @AfterAll
    static void stop() {
        members.close();
        server.close();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void presenceGetPagesThroughEveryMemberWithRelativeLinks(boolean binary) throws Exception {
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        PaginatedResult<PresenceMessage> page = rest.channels.get(CHANNEL).presence.get(new Param[] {new Param("limit", "10")});
        Set<String> seen = new HashSet<>();
        int pages = 0;
        while (true) {
            pages++;
            for (PresenceMessage m : page.items()) {
                assertThat(m.action).isEqualTo(PresenceMessage.Action.present);
                assertThat(m.connectionId).isEqualTo(members.connection.id);
                assertThat(m.data).isEqualTo("data-" + m.clientId.substring("user-".length()));
                seen.add(m.clientId);
            }
            if (!page.hasNext()) {
                break;
            }
            page = page.next();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void presenceGetFiltersByClientIdAndConnectionId(boolean binary) throws Exception {
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        PresenceMessage[] one = rest.channels.get(CHANNEL).presence.get(new Param[] {new Param("clientId", "user-7")}).items();
        assertThat(one).extracting(m -> m.clientId).containsExactly("user-7");
        PresenceMessage[] none = rest.channels.get(CHANNEL).presence.get(new Param[] {new Param("connectionId", "nope")}).items();
        assertThat(none).isEmpty();
    }

    @Test
    void errorsCarryAblyBodyAndHeaders() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/channels/x/presence")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(res.headers().firstValue("x-ably-errorcode")).hasValue("40101");
        assertThat(res.body()).contains("\"code\":40101");
    }

    @Test
    void corsPreflightAndCredentialedOrigins() throws Exception {
        HttpResponse<String> pre = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/channels/x/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.example")
                .header("Access-Control-Request-Headers", "authorization,x-ably-version").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("http://app.example");
        assertThat(pre.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        assertThat(pre.headers().firstValue("access-control-allow-headers").orElse("")).contains("authorization", "x-ably-version");
        assertThat(pre.headers().firstValue("access-control-expose-headers").orElse("")).contains("Link", "X-Ably-Errorcode");
    }

    @Test
    void healthAndPrometheusMetrics() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("rollcall_connections", "rollcall_channels", "rollcall_messages_in",
                "rollcall_messages_out", "rollcall_errors_total{code=\"40101\"}");
    }

    @Test
    void oversizedRestPublishIs40009AndABatchPublishArrives() throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(TestServer.KEY.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/channels/big/messages"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"data\":\"" + "x".repeat(70_000) + "\"}]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(400);
        assertThat(big.headers().firstValue("x-ably-errorcode")).hasValue("40009");
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        Channel sub = members.channels.get("batch");
        sub.subscribe(m -> got.add(m.name + "=" + m.data));
        Completion attached = new Completion();
        sub.attach(attached);
        attached.ok();
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, true);
        List<io.ably.lib.types.Message> batch = new ArrayList<>();
        batch.add(new io.ably.lib.types.Message("a", "1"));
        batch.add(new io.ably.lib.types.Message("b", "2"));
        rest.channels.get("batch").publish(batch.toArray(new io.ably.lib.types.Message[0]));
        io.rollcall.server.testing.Await.until(() -> got.size() == 2, "batch delivered");
        assertThat(got).containsExactly("a=1", "b=2");
    }
}
