package io.rollcall.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The holes issue 13 found, each tried over a real socket against a running server. */
class HostileInputTest {
    static TestServer server;
    static final String KEY = "key=" + TestServer.KEY;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.maxPresenceMembersPerConnection(5).outcomeMemory(8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawSocket connected(String query, boolean msgpack) {
        RawSocket s = RawSocket.open(server.port(), query, msgpack);
        s.next(4);
        return s;
    }

    static void assertAlive(RawSocket s) {
        s.send("{\"action\":0,\"id\":\"alive\"}");
        assertThat(s.next(0).path("id").asText()).isEqualTo("alive");
    }

    @Test
    void theElevenByteMsgpackFrameIsAnswered40000AtOnce() {
        try (RawSocket bystander = connected(KEY, true); RawSocket bad = connected("key=" + TestServer.LIMITED_KEY, true)) {
            long start = System.nanoTime();
            for (int i = 0; i < 16; i++) {
                try (RawSocket more = connected("key=" + TestServer.LIMITED_KEY, true)) {
                    more.sendRaw(HexFormat.of().parseHex("81a464617461c67ffffff0"));
                    assertThat(more.next(9).path("error").path("code").asInt()).isEqualTo(40000);
                }
            }
            bad.sendRaw(HexFormat.of().parseHex("81a464617461c97ffffff001"));
            assertThat(bad.next(9).path("error").path("code").asInt()).isEqualTo(40000);
            // Before the fix each took seconds and 2 GiB; the bound here is loose, the point is "not seconds each".
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
            assertAlive(bystander);
        }
    }

    @ParameterizedTest(name = "action {0}")
    @ValueSource(ints = {10, 12, 14, 15, 16})
    void aChannelActionWithoutAChannelIsTheClientsError(int action) {
        try (RawSocket s = connected(KEY, false)) {
            s.send("{\"action\":" + action + ",\"msgSerial\":0}");
            JsonNode err = s.next(9);
            assertThat(err.path("error").path("code").asInt()).isEqualTo(40000);
            assertThat(err.path("error").path("statusCode").asInt()).isEqualTo(400);
            assertThat(Await.get(s.closeCode)).isEqualTo(1000);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void aResentOperationGetsTheOriginalsOutcome(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            // Presence on a channel not attached: NACK 91001; resent, NACK 91001 again, and still not performed.
            String enter = "{\"action\":14,\"channel\":\"dup\",\"msgSerial\":0,\"presence\":[{\"action\":2,\"clientId\":\"a\"}]}";
            s.send(enter);
            assertThat(s.next(2).path("error").path("code").asInt()).isEqualTo(91001);
            s.send("{\"action\":10,\"channel\":\"dup\"}");
            s.next(11);
            s.send(enter);
            JsonNode again = s.next(2);
            assertThat(again.path("msgSerial").asLong()).isZero();
            assertThat(again.path("error").path("code").asInt()).isEqualTo(91001);
            // A performed one is ACKed again, not repeated.
            s.send("{\"action\":15,\"channel\":\"dup\",\"msgSerial\":1,\"messages\":[{\"data\":\"x\"}]}");
            assertThat(s.next(15).path("messages").get(0).path("data").asText()).isEqualTo("x");
            assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(1);
            s.send("{\"action\":15,\"channel\":\"dup\",\"msgSerial\":1,\"messages\":[{\"data\":\"x\"}]}");
            assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(1);
            // Beyond the memory of outcomes (8 here), a resend is NACKed rather than falsely ACKed.
            for (int i = 2; i < 12; i++) {
                s.send("{\"action\":15,\"channel\":\"dup\",\"msgSerial\":" + i + ",\"messages\":[{\"data\":\"y\"}]}");
                assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(i);
            }
            s.send("{\"action\":15,\"channel\":\"dup\",\"msgSerial\":1,\"messages\":[{\"data\":\"x\"}]}");
            JsonNode old = s.next(2);
            assertThat(old.path("msgSerial").asLong()).isEqualTo(1);
            assertThat(old.path("error").path("code").asInt()).isEqualTo(40000);
        }
    }

    @ParameterizedTest(name = "msgSerial {0}")
    @ValueSource(longs = {-1, 9007199254740000L, 5})
    void anImpossibleMsgSerialIsAProtocolError(long serial) {
        try (RawSocket s = connected(KEY, false)) {
            s.send("{\"action\":15,\"channel\":\"jump\",\"msgSerial\":" + serial + ",\"messages\":[{\"data\":\"x\"}]}");
            JsonNode err = s.next(9);
            assertThat(err.path("error").path("code").asInt()).isEqualTo(80013);
            assertThat(Await.get(s.closeCode)).isEqualTo(1000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"data\":\"{not json\",\"encoding\":\"json\"}",
            "{\"data\":\"x\",\"encoding\":\"rot13\"}",
            "{\"data\":\"x\",\"encoding\":\"utf-8/\"}"})
    void badDataOrEncodingIsNacked40013(String message) {
        try (RawSocket s = connected(KEY, false)) {
            s.send("{\"action\":15,\"channel\":\"enc\",\"msgSerial\":0,\"messages\":[" + message + "]}");
            assertThat(s.next(2).path("error").path("code").asInt()).isEqualTo(40013);
            s.send("{\"action\":14,\"channel\":\"enc\",\"msgSerial\":1,\"presence\":[{\"action\":2,\"clientId\":\"a\","
                    + message.substring(1) + "]}");
            assertThat(s.next(2).path("error").path("code").asInt()).isIn(40013, 91001);
            assertAlive(s);
        }
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0, 1, 0x1f, 0x7f, 0x85})
    void channelNamesWithControlCharactersAre40010(int c) {
        String name = "ctl" + (char) c + "x";
        try (RawSocket s = connected(KEY, false)) {
            s.send(RawSocket.JSON.createObjectNode().put("action", 10).put("channel", name));
            assertThat(s.next(9).path("error").path("code").asInt()).isEqualTo(40010);
            assertAlive(s);
        }
    }

    @Test
    void oneConnectionHoldsAtMostTheConfiguredNumberOfMembers() {
        try (RawSocket s = connected(KEY, false)) {
            int serial = 0;
            for (int ch = 0; ch < 3; ch++) {
                s.send("{\"action\":10,\"channel\":\"many-" + ch + "\"}");
                s.next(11);
            }
            // 2 + 2 members on two channels, then a fifth on the third is fine, the sixth is refused.
            for (int ch = 0; ch < 2; ch++) {
                s.send("{\"action\":14,\"channel\":\"many-" + ch + "\",\"msgSerial\":" + serial++
                        + ",\"presence\":[{\"action\":2,\"clientId\":\"a\"},{\"action\":2,\"clientId\":\"b\"}]}");
                assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(serial - 1);
            }
            s.send("{\"action\":14,\"channel\":\"many-2\",\"msgSerial\":" + serial++ + ",\"presence\":[{\"action\":2,\"clientId\":\"c\"}]}");
            s.next(1);
            s.send("{\"action\":14,\"channel\":\"many-2\",\"msgSerial\":" + serial++ + ",\"presence\":[{\"action\":2,\"clientId\":\"d\"}]}");
            JsonNode nack = s.next(2);
            assertThat(nack.path("error").path("code").asInt()).isEqualTo(91003);
            // Updating a member it holds is not a new one.
            s.send("{\"action\":14,\"channel\":\"many-2\",\"msgSerial\":" + serial++ + ",\"presence\":[{\"action\":4,\"clientId\":\"c\",\"data\":\"u\"}]}");
            s.next(1);
        }
    }

    // ---- REST

    static HttpResponse<byte[]> rest(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(TestServer.KEY.getBytes(StandardCharsets.UTF_8)));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static int errorCode(HttpResponse<byte[]> r) throws Exception {
        return RawSocket.JSON.readTree(r.body()).path("error").path("code").asInt();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/channels/%ZZ", "/channels/%", "/chat/v4/rooms/%ZZ/occupancy", "/channels/x/presence?clientId=%G1"})
    void badPercentEncodingIs400(String path) throws Exception {
        // Written by hand: no HTTP client sends such a URI.
        String response = rawHttp("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("X-Ably-Errorcode: 40000").contains("\"code\":40000");
    }

    /** Sends the text and reads the whole response (the server closes after it). */
    static String rawHttp(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("localhost", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void restBodiesAreParsedStrictly() throws Exception {
        String json = "application/json";
        HttpResponse<byte[]> trailing = rest("POST", "/channels/strict/messages", json,
                "{\"name\":\"a\",\"data\":\"x\"} trailing".getBytes(StandardCharsets.UTF_8));
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(errorCode(trailing)).isEqualTo(40000);
        HttpResponse<byte[]> badJson = rest("POST", "/channels/strict/messages", json,
                "{\"data\":\"{nope\",\"encoding\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(errorCode(badJson)).isEqualTo(40013);
        HttpResponse<byte[]> unknown = rest("POST", "/channels/strict/messages", json,
                "{\"data\":\"x\",\"encoding\":\"zip\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(errorCode(unknown)).isEqualTo(40013);
        HttpResponse<byte[]> ext = rest("POST", "/channels/strict/messages", "application/x-msgpack",
                HexFormat.of().parseHex("81a464617461d60501020304"));
        assertThat(ext.statusCode()).isEqualTo(400);
        assertThat(errorCode(ext)).isEqualTo(40013);
        HttpResponse<byte[]> bomb = rest("POST", "/channels/strict/messages", "application/x-msgpack",
                HexFormat.of().parseHex("81a464617461c67ffffff0"));
        assertThat(bomb.statusCode()).isEqualTo(400);
        assertThat(errorCode(bomb)).isEqualTo(40000);
        HttpResponse<byte[]> nul = rest("POST", "/channels/a%00b/messages", json, "{\"data\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(errorCode(nul)).isEqualTo(40010);
        HttpResponse<byte[]> fine = rest("POST", "/channels/strict/messages", json,
                "{\"data\":\"{\\\"a\\\":1}\",\"encoding\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(fine.statusCode()).isEqualTo(201);
    }
}
