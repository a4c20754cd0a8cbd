package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /keys/{keyName}/requestToken}: TokenRequests signed here per the spec text, not by the server's code. */
class TokenRequestTest {
    static final long NOW = 1_750_000_000_000L;
    static final String KEY_NAME = "app.k1";
    static final String SECRET = "k1-secret";
    static final String LIMITED_NAME = "app.limited";
    static final String LIMITED_SECRET = "limited-secret";
    static final String LIMITED_CAPABILITY = "{\"*\":[\"subscribe\"],\"pub:*\":[\"publish\",\"subscribe\"]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Keyring keys = Keyring.of(ApiKey.parse(KEY_NAME + ":" + SECRET),
            ApiKey.parse(LIMITED_NAME + ":" + LIMITED_SECRET, LIMITED_CAPABILITY));
    private final Authenticator auth = new Authenticator(keys, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    private int nonces;

    /** base64(HMAC-SHA256(secret, keyName\nttl\ncapability\nclientId\ntimestamp\nnonce\n)), unset values empty. */
    static String mac(String secret, String keyName, String ttl, String capability, String clientId, long timestamp, String nonce)
            throws Exception {
        String text = keyName + "\n" + ttl + "\n" + capability + "\n" + clientId + "\n" + timestamp + "\n" + nonce + "\n";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A request as the SDKs send it: ttl, capability and clientId only when set. */
    static ObjectNode request(String keyName, String secret, Long ttl, String capability, String clientId, long timestamp,
                              String nonce) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("keyName", keyName);
        if (ttl != null) {
            body.put("ttl", ttl);
        }
        if (capability != null) {
            body.put("capability", capability);
        }
        if (clientId != null) {
            body.put("clientId", clientId);
        }
        body.put("timestamp", timestamp);
        body.put("nonce", nonce);
        body.put("mac", mac(secret, keyName, ttl == null ? "" : ttl.toString(), capability == null ? "" : capability,
                clientId == null ? "" : clientId, timestamp, nonce));
        return body;
    }

    private String nonce() {
        return String.format("%016d", 4_000_000_000L + nonces++);
    }

    private ObjectNode simple() throws Exception {
        return request(KEY_NAME, SECRET, null, null, null, NOW, nonce());
    }

    private static void assertAbly(ThrowingCallable call, int code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.error().code()).as(e.error().message()).isEqualTo(code);
            assertThat(e.error().statusCode()).isEqualTo(status);
        });
    }

    // ---- accepted

    @Test
    void aMinimalRequestGetsAnHourWithTheKeysCapability() throws Exception {
        TokenDetails td = auth.requestToken(KEY_NAME, simple());
        assertThat(td.keyName()).isEqualTo(KEY_NAME);
        assertThat(td.issued()).isEqualTo(NOW);
        assertThat(td.expires()).isEqualTo(NOW + Duration.ofMinutes(60).toMillis());
        assertThat(td.capability()).isEqualTo("{\"*\":[\"*\"]}");
        assertThat(td.clientId()).isNull();
        assertThat(td.token()).isNotBlank();
    }

    @Test
    void ttlCapabilityAndClientIdAreHonoured() throws Exception {
        ObjectNode body = request(LIMITED_NAME, LIMITED_SECRET, 30_000L, "{\"pub:room\":[\"publish\",\"presence\"]}",
                "alice", NOW - 1_000, nonce());
        TokenDetails td = auth.requestToken(LIMITED_NAME, body);
        assertThat(td.expires()).isEqualTo(NOW + 30_000);
        assertThat(td.capability()).isEqualTo("{\"pub:room\":[\"publish\"]}");
        assertThat(td.clientId()).isEqualTo("alice");

        AuthContext ctx = auth.authenticateToken(td.token());
        assertThat(ctx.appId()).isEqualTo("app");
        assertThat(ctx.keyName()).isEqualTo(LIMITED_NAME);
        assertThat(ctx.clientId()).isEqualTo("alice");
        assertThat(ctx.capability().toJson()).isEqualTo(td.capability());
        assertThat(ctx.expiresAt()).isEqualTo(td.expires());
        assertThat(ctx.kind()).isEqualTo(AuthContext.Kind.TOKEN);
    }

    @Test
    void aWildcardClientIdIsAllowedInAToken() throws Exception {
        TokenDetails td = auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, "*", NOW, nonce()));
        assertThat(td.clientId()).isEqualTo("*");
        assertThat(auth.authenticateToken(td.token()).isWildcard()).isTrue();
    }

    @Test
    void theTimestampMayBeUpToTheWindowEitherSide() throws Exception {
        long window = Duration.ofMinutes(2).toMillis();
        auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, null, NOW - window, nonce()));
        auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, null, NOW + window, nonce()));
    }

    @Test
    void ttlUpToTheMaximumAndZeroMeansTheDefault() throws Exception {
        long day = Duration.ofHours(24).toMillis();
        assertThat(auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, day, null, null, NOW, nonce())).expires())
                .isEqualTo(NOW + day);
        // ably-js signs a falsy ttl as '' while sending "ttl":0.
        ObjectNode zero = request(KEY_NAME, SECRET, null, null, null, NOW, nonce());
        zero.put("ttl", 0);
        assertThat(auth.requestToken(KEY_NAME, zero).expires()).isEqualTo(NOW + Duration.ofMinutes(60).toMillis());
    }

    @Test
    void aTimestampSentAsDigitsIsAccepted() throws Exception {
        ObjectNode body = simple();
        body.put("timestamp", Long.toString(NOW));
        assertThat(auth.requestToken(KEY_NAME, body).issued()).isEqualTo(NOW);
    }

    @Test
    void aCapabilitySentAsAnObjectIsSignedInCanonicalForm() throws Exception {
        String canonical = "{\"pub:a\":[\"publish\",\"subscribe\"]}";
        ObjectNode body = request(LIMITED_NAME, LIMITED_SECRET, null, canonical, null, NOW, nonce());
        body.set("capability", JSON.readTree("{\"pub:a\":[\"subscribe\",\"publish\"]}"));
        assertThat(auth.requestToken(LIMITED_NAME, body).capability()).isEqualTo(canonical);
    }

    @Test
    void limitsAreConfigurable() throws Exception {
        TokenPolicy policy = new TokenPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10), 1_000);
        Authenticator strict = new Authenticator(keys, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), policy);
        assertThat(strict.requestToken(KEY_NAME, simple()).expires()).isEqualTo(NOW + Duration.ofMinutes(5).toMillis());
        assertAbly(() -> strict.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, null, NOW - 10_001, nonce())), 40104, 401);
        assertAbly(() -> strict.requestToken(KEY_NAME, request(KEY_NAME, SECRET, 600_001L, null, null, NOW, nonce())), 40003, 400);
    }

    // ---- refused

    @Test
    void aForgedMacIs40101() throws Exception {
        assertAbly(() -> auth.requestToken(KEY_NAME, request(KEY_NAME, "not-the-secret", null, null, null, NOW, nonce())), 40101, 401);
    }

    @Test
    void anyFieldChangedAfterSigningIs40101() throws Exception {
        ObjectNode base = request(LIMITED_NAME, LIMITED_SECRET, 60_000L, "{\"pub:a\":[\"publish\"]}", "alice", NOW, nonce());
        for (String field : new String[] {"ttl", "capability", "clientId", "timestamp", "nonce"}) {
            ObjectNode tampered = base.deepCopy();
            switch (field) {
                case "ttl" -> tampered.put("ttl", 3_600_000L);
                case "capability" -> tampered.put("capability", "{\"pub:*\":[\"publish\"]}");
                case "clientId" -> tampered.put("clientId", "mallory");
                case "timestamp" -> tampered.put("timestamp", NOW + 1);
                default -> tampered.put("nonce", nonce());
            }
            assertAbly(() -> auth.requestToken(LIMITED_NAME, tampered), 40101, 401);
        }
        ObjectNode dropped = base.deepCopy();
        dropped.remove("clientId");
        assertAbly(() -> auth.requestToken(LIMITED_NAME, dropped), 40101, 401);
        // The untouched request is still good: none of the refusals consumed its nonce.
        assertThat(auth.requestToken(LIMITED_NAME, base).clientId()).isEqualTo("alice");
    }

    @Test
    void aKeyNameNotThePathsOrUnknownIs40101() throws Exception {
        assertAbly(() -> auth.requestToken(LIMITED_NAME, simple()), 40101, 401);
        assertAbly(() -> auth.requestToken("app.nokey", request("app.nokey", SECRET, null, null, null, NOW, nonce())), 40101, 401);
    }

    @Test
    void aStaleOrFutureTimestampIs40104() throws Exception {
        long window = Duration.ofMinutes(2).toMillis();
        assertAbly(() -> auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, null, NOW - window - 1, nonce())), 40104, 401);
        assertAbly(() -> auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, null, NOW + window + 1, nonce())), 40104, 401);
    }

    @Test
    void aReplayedNonceIs40105() throws Exception {
        ObjectNode body = simple();
        auth.requestToken(KEY_NAME, body);
        assertAbly(() -> auth.requestToken(KEY_NAME, body), 40105, 401);
        // The same nonce under another key is another request.
        String n = body.get("nonce").asText();
        auth.requestToken(LIMITED_NAME, request(LIMITED_NAME, LIMITED_SECRET, null, null, null, NOW, n));
    }

    @Test
    void aRefusedRequestDoesNotUseUpItsNonce() throws Exception {
        String n = nonce();
        assertAbly(() -> auth.requestToken(LIMITED_NAME,
                request(LIMITED_NAME, LIMITED_SECRET, null, "{\"x\":[\"publish\"]}", null, NOW, n)), 40160, 401);
        assertThat(auth.requestToken(LIMITED_NAME, request(LIMITED_NAME, LIMITED_SECRET, null, null, null, NOW, n)).capability())
                .isEqualTo(Capability.parse(LIMITED_CAPABILITY).toJson());
    }

    @Test
    void tooManyRequestsWithinTheWindowAreRefusedNotForgotten() throws Exception {
        TokenPolicy tiny = new TokenPolicy(Duration.ofMinutes(2), Duration.ofMinutes(60), Duration.ofHours(24), 2);
        Authenticator small = new Authenticator(keys, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), tiny);
        ObjectNode first = simple();
        small.requestToken(KEY_NAME, first);
        small.requestToken(KEY_NAME, simple());
        assertAbly(() -> small.requestToken(KEY_NAME, simple()), 42910, 429);
        assertAbly(() -> small.requestToken(KEY_NAME, first), 40105, 401);
    }

    @ParameterizedTest
    @ValueSource(longs = {86_400_001L, -5L})
    void aTtlOutOfRangeIs40003(long ttl) throws Exception {
        assertAbly(() -> auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, ttl, null, null, NOW, nonce())), 40003, 400);
    }

    @Test
    void aTtlThatIsNotANumberIs40003() throws Exception {
        String n = nonce();
        ObjectNode body = request(KEY_NAME, SECRET, null, null, null, NOW, n);
        body.put("ttl", "an hour");
        body.put("mac", mac(SECRET, KEY_NAME, "an hour", "", "", NOW, n));
        assertAbly(() -> auth.requestToken(KEY_NAME, body), 40003, 400);
    }

    @Test
    void aCapabilityBeyondTheKeysIs40160AndAnInvalidOne40000() throws Exception {
        assertAbly(() -> auth.requestToken(LIMITED_NAME,
                request(LIMITED_NAME, LIMITED_SECRET, null, "{\"chat\":[\"presence\"]}", null, NOW, nonce())), 40160, 401);
        assertAbly(() -> auth.requestToken(LIMITED_NAME,
                request(LIMITED_NAME, LIMITED_SECRET, null, "{\"chat\":[\"fly\"]}", null, NOW, nonce())), 40000, 400);
    }

    @Test
    void malformedBodiesAre40001() throws Exception {
        assertAbly(() -> auth.requestToken(KEY_NAME, null), 40001, 400);
        assertAbly(() -> auth.requestToken(KEY_NAME, JSON.readTree("[1,2]")), 40001, 400);
        for (String field : new String[] {"keyName", "timestamp", "nonce", "mac"}) {
            ObjectNode body = simple();
            body.remove(field);
            assertAbly(() -> auth.requestToken(KEY_NAME, body), 40001, 400);
        }
        ObjectNode numericClientId = simple();
        numericClientId.put("clientId", 7);
        assertAbly(() -> auth.requestToken(KEY_NAME, numericClientId), 40001, 400);
    }

    @Test
    void badValuesAre40003() throws Exception {
        assertAbly(() -> auth.requestToken(KEY_NAME, request(KEY_NAME, SECRET, null, null, null, NOW, "123")), 40003, 400);
        ObjectNode body = simple();
        body.put("timestamp", "yesterday");
        assertAbly(() -> auth.requestToken(KEY_NAME, body), 40003, 400);
    }
}
