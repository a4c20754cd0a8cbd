package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Ably JWTs, built here with java-jwt as ably/docs shows a customer's auth server doing. */
class JwtTest {
    private static final long NOW_S = 1_750_000_000L;
    private static final String KEY_NAME = "app.jwtkey";
    private static final String SECRET = "jwt-secret";
    private final Keyring keys = Keyring.of(ApiKey.parse(KEY_NAME + ":" + SECRET, "{\"rooms:*\":[\"*\"],\"lobby\":[\"subscribe\"]}"),
            ApiKey.parse("app.other:other-secret"));
    private final Authenticator auth = new Authenticator(keys, Clock.fixed(Instant.ofEpochSecond(NOW_S), ZoneOffset.UTC));

    private static JWTCreator.Builder jwt(String kid) {
        return JWT.create().withHeader(Map.of("typ", "JWT", "kid", kid))
                .withClaim("iat", NOW_S - 10).withClaim("exp", NOW_S + 3600);
    }

    private static String sign(JWTCreator.Builder b) {
        return b.sign(Algorithm.HMAC256(SECRET));
    }

    private static void assertAbly(ThrowingCallable call, int code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.error().code()).as(e.error().message()).isEqualTo(code);
            assertThat(e.error().statusCode()).isEqualTo(status);
        });
    }

    @Test
    void aValidJwtCarriesItsClientIdCapabilityAndExpiry() {
        String token = sign(jwt(KEY_NAME)
                .withClaim("x-ably-capability", "{\"rooms:a\":[\"presence\",\"subscribe\"],\"lobby\":[\"*\"]}")
                .withClaim("x-ably-clientId", "jwt-user"));
        AuthContext ctx = auth.authenticateToken(token);
        assertThat(ctx.kind()).isEqualTo(AuthContext.Kind.JWT);
        assertThat(ctx.appId()).isEqualTo("app");
        assertThat(ctx.keyName()).isEqualTo(KEY_NAME);
        assertThat(ctx.clientId()).isEqualTo("jwt-user");
        assertThat(ctx.expiresAt()).isEqualTo((NOW_S + 3600) * 1000);
        // x-ably-capability narrowed by the key's: lobby is subscribe-only for this key.
        assertThat(ctx.capability().toJson()).isEqualTo("{\"lobby\":[\"subscribe\"],\"rooms:a\":[\"presence\",\"subscribe\"]}");
    }

    @Test
    void withoutClientIdItIsAnonymousAndWithoutCapabilityItHasTheKeys() {
        AuthContext ctx = auth.authenticateToken(sign(jwt(KEY_NAME)));
        assertThat(ctx.clientId()).isNull();
        assertThat(ctx.capability()).isEqualTo(keys.find(KEY_NAME).capability());
    }

    @Test
    void aWildcardClientIdMayActAsAnyone() {
        AuthContext ctx = auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("x-ably-clientId", "*")));
        assertThat(ctx.isWildcard()).isTrue();
        assertThat(auth.resolveClientId(ctx, "dave").clientId()).isEqualTo("dave");
    }

    @Test
    void theBase64FormIsAccepted() {
        String token = sign(jwt(KEY_NAME).withClaim("x-ably-clientId", "b64"));
        String encoded = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        assertThat(auth.authenticateToken(encoded).clientId()).isEqualTo("b64");
        assertThat(auth.authenticateHeader("Bearer " + encoded).clientId()).isEqualTo("b64");
        assertThat(auth.authenticateHeader("Bearer " + token).clientId()).isEqualTo("b64");
    }

    @Test
    void aWrongSecretIs40143() {
        assertAbly(() -> auth.authenticateToken(jwt(KEY_NAME).sign(Algorithm.HMAC256("not-the-secret"))), 40143, 401);
        assertAbly(() -> auth.authenticateToken(jwt(KEY_NAME).sign(Algorithm.HMAC256("other-secret"))), 40143, 401);
    }

    @Test
    void anUnknownKidIs40143() {
        assertAbly(() -> auth.authenticateToken(jwt("app.nosuch").sign(Algorithm.HMAC256(SECRET))), 40143, 401);
    }

    @Test
    void anExpiredJwtIs40142() {
        String token = sign(JWT.create().withKeyId(KEY_NAME).withClaim("iat", NOW_S - 7200).withClaim("exp", NOW_S));
        assertAbly(() -> auth.authenticateToken(token), 40142, 401);
        String justValid = sign(JWT.create().withKeyId(KEY_NAME).withClaim("iat", NOW_S - 7200).withClaim("exp", NOW_S + 1));
        assertThat(auth.authenticateToken(justValid).expiresAt()).isEqualTo((NOW_S + 1) * 1000);
    }

    @Test
    void aMalformedJwtIs40144() {
        assertAbly(() -> auth.authenticateToken("a.b.c"), 40144, 401);
        assertAbly(() -> auth.authenticateToken("only.two"), 40144, 401);
        // No kid, no exp, another algorithm, unsigned, claims of the wrong type.
        assertAbly(() -> auth.authenticateToken(JWT.create().withClaim("exp", NOW_S + 60).sign(Algorithm.HMAC256(SECRET))), 40144, 401);
        assertAbly(() -> auth.authenticateToken(sign(JWT.create().withKeyId(KEY_NAME))), 40144, 401);
        assertAbly(() -> auth.authenticateToken(jwt(KEY_NAME).sign(Algorithm.HMAC512(SECRET))), 40144, 401);
        assertAbly(() -> auth.authenticateToken(jwt(KEY_NAME).sign(Algorithm.none())), 40144, 401);
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("x-ably-capability", "{not json"))), 40144, 401);
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("x-ably-capability",
                Map.of("rooms:a", java.util.List.of("subscribe"))))), 40144, 401);
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("x-ably-clientId", 42))), 40144, 401);
    }

    @Test
    void aCapabilityTheKeyDoesNotAllowIs40160() {
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("x-ably-capability", "{\"other\":[\"publish\"]}"))),
                40160, 401);
    }

    @Test
    void chatRoomClaimsAreKeptPerRoomAndMustBeStrings() {
        String token = sign(jwt(KEY_NAME).withClaim("x-ably-clientId", "u")
                .withClaim("ably.room.lobby", "moderator").withClaim("ably.room.rooms:a", "{\"tier\":1}"));
        AuthContext ctx = auth.authenticateToken(token);
        assertThat(ctx.userClaimFor("lobby::$chat")).isEqualTo("moderator");
        assertThat(ctx.userClaimFor("rooms:a::$chat")).isEqualTo("{\"tier\":1}");
        assertThat(ctx.userClaimFor("other::$chat")).isNull();
        // The claims survive a clientId being resolved on the context.
        assertThat(ctx.withClientId("u").userClaimFor("lobby::$chat")).isEqualTo("moderator");
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("ably.room.lobby", 5))), 40144, 401);
    }

    @Test
    void anExpInMillisecondsIsRefusedAsTheTokenRequestTtlCapIs() {
        // exp given in milliseconds: the year 57,000.
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("exp", NOW_S * 1000))), 40144, 401);
        // 25 hours: past the 24 h a token request may ask for.
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("exp", NOW_S + 25 * 3600))), 40144, 401);
        // iat far in the past with exp near: a lifetime of 48 h is refused too.
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("iat", NOW_S - 47 * 3600)
                .withClaim("exp", NOW_S + 3600))), 40144, 401);
        // 24 h exactly is fine.
        assertThat(auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("iat", NOW_S).withClaim("exp", NOW_S + 24 * 3600)))
                .expiresAt()).isEqualTo((NOW_S + 24 * 3600) * 1000);
    }

    @Test
    void iatOrNbfInTheFutureBeyondTheClockToleranceIsRefused() {
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("iat", NOW_S + 3600)
                .withClaim("exp", NOW_S + 7200))), 40104, 401);
        assertAbly(() -> auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("nbf", NOW_S + 3600))), 40104, 401);
        // Within the tolerance (2 min, as for token request timestamps): a clock a little ahead is fine.
        assertThat(auth.authenticateToken(sign(jwt(KEY_NAME).withClaim("iat", NOW_S + 60).withClaim("nbf", NOW_S + 60)))
                .kind()).isEqualTo(AuthContext.Kind.JWT);
    }
}
