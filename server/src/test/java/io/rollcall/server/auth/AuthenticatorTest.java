package io.rollcall.server.auth;

import static io.rollcall.server.auth.TokenRequestTest.NOW;
import static io.rollcall.server.auth.TokenRequestTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys on the socket, Authorization headers, and Ably's clientId rules. */
class AuthenticatorTest {
    private static final String KEY = "app.main:main-secret";
    private static final String LIMITED = "app.ltd:ltd-secret";
    private final Keyring keys = Keyring.of(ApiKey.parse(KEY), ApiKey.parse(LIMITED, "{\"pub:*\":[\"publish\"]}"),
            ApiKey.parse("other.k:other-secret"));
    private final Authenticator auth = new Authenticator(keys, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private static void assertAbly(ThrowingCallable call, int code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.error().code()).as(e.error().message()).isEqualTo(code);
            assertThat(e.error().statusCode()).isEqualTo(status);
        });
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private String token(String clientId) throws Exception {
        return auth.requestToken("app.main", request("app.main", "main-secret", null, null, clientId, NOW,
                "99999999" + System.nanoTime())).token();
    }

    // ---- keys

    @Test
    void aKeyHolderIsAWildcardThatNeverExpires() {
        AuthContext ctx = auth.authenticateKey(LIMITED);
        assertThat(ctx).isEqualTo(new AuthContext("app", "app.ltd", "*", Capability.parse("{\"pub:*\":[\"publish\"]}"), 0,
                AuthContext.Kind.BASIC));
        assertThat(auth.authenticateKey("other.k:other-secret").appId()).isEqualTo("other");
    }

    @Test
    void aWrongSecretOrUnknownKeyIs40101() {
        assertAbly(() -> auth.authenticateKey("app.main:wrong"), 40101, 401);
        assertAbly(() -> auth.authenticateKey("app.main:main-secretX"), 40101, 401);
        assertAbly(() -> auth.authenticateKey("app.nosuch:main-secret"), 40101, 401);
        assertAbly(() -> auth.authenticateKey(null), 40101, 401);
    }

    @Test
    void aMalformedKeyIs40005() {
        assertAbly(() -> auth.authenticateKey("garbage"), 40005, 400);
    }

    // ---- Authorization headers

    @Test
    void basicIsTheBase64Key() {
        assertThat(auth.authenticateHeader("Basic " + base64(KEY)).kind()).isEqualTo(AuthContext.Kind.BASIC);
        assertThat(auth.authenticateHeader("basic   " + base64(KEY) + " ").keyName()).isEqualTo("app.main");
        assertAbly(() -> auth.authenticateHeader("Basic " + base64("app.main:nope")), 40101, 401);
        assertAbly(() -> auth.authenticateHeader("Basic !!notbase64!!"), 40101, 401);
    }

    @Test
    void bearerIsATokenRawOrBase64() throws Exception {
        String token = token("erin");
        assertThat(auth.authenticateHeader("Bearer " + base64(token)).clientId()).isEqualTo("erin");
        assertThat(auth.authenticateHeader("Bearer " + token).clientId()).isEqualTo("erin");
        assertThat(auth.authenticateHeader("bearer " + base64(token)).kind()).isEqualTo(AuthContext.Kind.TOKEN);
        assertAbly(() -> auth.authenticateHeader("Bearer " + base64("not a token")), 40145, 401);
        assertAbly(() -> auth.authenticateHeader("Bearer"), 40145, 401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Digest abc", "Token abc", "Basicabc"})
    void noOrAnUnknownSchemeIs40101(String header) {
        assertAbly(() -> auth.authenticateHeader(header), 40101, 401);
    }

    @Test
    void aMissingHeaderIs40101() {
        assertAbly(() -> auth.authenticateHeader(null), 40101, 401);
        assertAbly(() -> auth.authenticateToken(null), 40101, 401);
    }

    // ---- clientId (RSA7, RSA12, RSA15; PROTOCOL.md 2.4)

    @Test
    void aKeyHolderBecomesWhoeverItNames() {
        AuthContext basic = auth.authenticateKey(KEY);
        assertThat(auth.resolveClientId(basic, null)).isSameAs(basic);
        AuthContext alice = auth.resolveClientId(basic, "alice");
        assertThat(alice.clientId()).isEqualTo("alice");
        assertThat(alice.isIdentified()).isTrue();
        assertThat(alice.kind()).isEqualTo(AuthContext.Kind.BASIC);
        assertThat(alice.capability()).isEqualTo(basic.capability());
    }

    @Test
    void aWildcardTokenBecomesWhoeverItNames() throws Exception {
        AuthContext wildcard = auth.authenticateToken(token("*"));
        assertThat(auth.resolveClientId(wildcard, "frank").clientId()).isEqualTo("frank");
    }

    @Test
    void aTokenForOneClientIdServesOnlyThatOne() throws Exception {
        AuthContext gina = auth.authenticateToken(token("gina"));
        assertThat(auth.resolveClientId(gina, "gina")).isSameAs(gina);
        assertThat(auth.resolveClientId(gina, null)).isSameAs(gina);
        assertAbly(() -> auth.resolveClientId(gina, "hank"), 40102, 401);
    }

    @Test
    void anAnonymousTokenCannotClaimAnIdentity() throws Exception {
        AuthContext anonymous = auth.authenticateToken(token(null));
        assertThat(anonymous.clientId()).isNull();
        assertThat(auth.resolveClientId(anonymous, null).clientId()).isNull();
        assertAbly(() -> auth.resolveClientId(anonymous, "ivan"), 40102, 401);
    }

    @Test
    void aClientMayNotAskForTheWildcardOrNothing() throws Exception {
        AuthContext basic = auth.authenticateKey(KEY);
        AuthContext wildcard = auth.authenticateToken(token("*"));
        for (AuthContext ctx : new AuthContext[] {basic, wildcard}) {
            assertAbly(() -> auth.resolveClientId(ctx, "*"), 40012, 400);
            assertAbly(() -> auth.resolveClientId(ctx, ""), 40012, 400);
        }
    }

    @Test
    void exposesItsKeys() {
        assertThat(auth.keys()).isSameAs(keys);
    }
}
