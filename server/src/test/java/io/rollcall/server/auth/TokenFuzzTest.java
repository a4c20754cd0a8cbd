package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coverage-guided fuzzing of the credential parsers: tokens (native or JWT, raw or base64), Authorization headers,
 * token request bodies, and JWTs signed with a real key whose header and claims are fuzzed, so the claim checks
 * behind the signature are reached. Property: each input authenticates or is refused with an {@link AblyException}
 * of a 4xxxx code; nothing else escapes.
 */
class TokenFuzzTest {
    static final long NOW_S = 1_750_000_000L;
    static final String KEY_NAME = "app.fuzz";
    static final String SECRET = "fuzz-secret";
    static final Authenticator AUTH = new Authenticator(
            Keyring.of(ApiKey.parse(KEY_NAME + ":" + SECRET, "{\"rooms:*\":[\"*\"]}")),
            Clock.fixed(Instant.ofEpochSecond(NOW_S), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "15s")
    void credentials(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        try {
            switch (data.consumeInt(0, 3)) {
                case 0 -> AUTH.authenticateToken(data.consumeRemainingAsString());
                case 1 -> AUTH.authenticateHeader(data.consumeRemainingAsString());
                case 2 -> {
                    WireFormat f = data.consumeBoolean() ? WireFormat.JSON : WireFormat.MSGPACK;
                    String key = data.consumeBoolean() ? KEY_NAME : data.consumeString(20);
                    AUTH.requestToken(key, ProtocolCodec.of(f).decodeTree(data.consumeRemainingAsBytes()));
                }
                default -> AUTH.authenticateToken(signedJwt(data.consumeString(300), data.consumeRemainingAsString()));
            }
        } catch (AblyException e) {
            assertThat(e.error().code()).as(e.error().message()).isBetween(40000, 49999);
            assertThat(e.error().statusCode()).isBetween(400, 499);
        }
    }

    /** A JWT with the given header and payload text, HS256-signed with the real key's secret. */
    static String signedJwt(String header, String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signing = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + '.'
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signing + '.' + b64.encodeToString(mac.doFinal(signing.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
