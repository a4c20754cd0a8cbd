package io.rollcall.server.auth;

import static io.rollcall.server.auth.TokenRequestTest.KEY_NAME;
import static io.rollcall.server.auth.TokenRequestTest.LIMITED_CAPABILITY;
import static io.rollcall.server.auth.TokenRequestTest.LIMITED_NAME;
import static io.rollcall.server.auth.TokenRequestTest.LIMITED_SECRET;
import static io.rollcall.server.auth.TokenRequestTest.NOW;
import static io.rollcall.server.auth.TokenRequestTest.SECRET;
import static io.rollcall.server.auth.TokenRequestTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Tokens this server issues: self-contained, so any node with the key verifies them; tamper-evident; expiring. */
class NativeTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Keyring keys = Keyring.of(ApiKey.parse(KEY_NAME + ":" + SECRET),
            ApiKey.parse(LIMITED_NAME + ":" + LIMITED_SECRET, LIMITED_CAPABILITY));
    private final Authenticator issuingNode = node(keys, NOW);

    private static Authenticator node(Keyring keys, long nowMs) {
        return new Authenticator(keys, Clock.fixed(Instant.ofEpochMilli(nowMs), ZoneOffset.UTC));
    }

    private TokenDetails issue(Long ttl, String capability, String clientId) throws Exception {
        return issuingNode.requestToken(LIMITED_NAME,
                request(LIMITED_NAME, LIMITED_SECRET, ttl, capability, clientId, NOW, "77777777" + System.nanoTime()));
    }

    private static void assertAbly(ThrowingCallable call, int code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.error().code()).as(e.error().message()).isEqualTo(code);
            assertThat(e.error().statusCode()).isEqualTo(401);
        });
    }

    @Test
    void anotherNodeWithTheSameKeysVerifiesIt() throws Exception {
        TokenDetails td = issue(600_000L, "{\"pub:*\":[\"publish\",\"presence\"]}", "alice");
        AuthContext ctx = node(keys, NOW + 60_000).authenticateToken(td.token());
        assertThat(ctx).isEqualTo(new AuthContext("app", LIMITED_NAME, "alice",
                Capability.parse("{\"pub:*\":[\"publish\"]}"), NOW + 600_000, AuthContext.Kind.TOKEN));
    }

    @Test
    void itIsAVersionedSignedPayloadThatCannotPassForAJwt() throws Exception {
        TokenDetails td = issue(null, null, "bob");
        String[] parts = td.token().split("~", -1);
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("rc1");
        assertThat(td.token()).doesNotContain(".").matches("[A-Za-z0-9_~-]+");
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(payload.get("keyName").asText()).isEqualTo(LIMITED_NAME);
        assertThat(payload.get("clientId").asText()).isEqualTo("bob");
        assertThat(payload.get("capability").asText()).isEqualTo(td.capability());
        assertThat(payload.get("issued").asLong()).isEqualTo(td.issued());
        assertThat(payload.get("expires").asLong()).isEqualTo(td.expires());
    }

    @Test
    void itExpiresAtItsExpiryWith40142() throws Exception {
        TokenDetails td = issue(60_000L, null, null);
        assertThat(node(keys, td.expires() - 1).authenticateToken(td.token()).expiresAt()).isEqualTo(td.expires());
        assertAbly(() -> node(keys, td.expires()).authenticateToken(td.token()), 40142);
        assertAbly(() -> node(keys, td.expires() + 86_400_000L).authenticateToken(td.token()), 40142);
    }

    @Test
    void aChangedPayloadIs40143() throws Exception {
        TokenDetails td = issue(null, null, "bob");
        String[] parts = td.token().split("~", -1);
        ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        payload.put("clientId", "admin");
        payload.put("expires", Long.MAX_VALUE);
        String forged = parts[0] + "~" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "~" + parts[2];
        assertAbly(() -> issuingNode.authenticateToken(forged), 40143);
    }

    @Test
    void aChangedSignatureOrVersionIs40143() throws Exception {
        String token = issue(null, null, null).token();
        String sig = token.substring(token.lastIndexOf('~') + 1);
        String flipped = token.substring(0, token.length() - sig.length()) + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        assertAbly(() -> issuingNode.authenticateToken(flipped), 40143);
        assertAbly(() -> issuingNode.authenticateToken("rc2" + token.substring(3)), 40143);
        assertAbly(() -> issuingNode.authenticateToken(token.substring(0, token.lastIndexOf('~'))), 40143);
        assertAbly(() -> issuingNode.authenticateToken("rc1~not-base64-json~sig"), 40143);
    }

    @Test
    void aTokenSignedWithAnotherKeysSecretIs40143() throws Exception {
        // Same key name, other secret: what a forger who knows only the key name could make.
        Keyring forgerKeys = Keyring.of(ApiKey.parse(LIMITED_NAME + ":guessed", "{\"*\":[\"*\"]}"));
        TokenDetails forged = node(forgerKeys, NOW).requestToken(LIMITED_NAME,
                request(LIMITED_NAME, "guessed", null, null, "admin", NOW, "5555555555555555"));
        assertAbly(() -> issuingNode.authenticateToken(forged.token()), 40143);
    }

    @Test
    void aTokenOfAKeyThisNodeDoesNotHaveIs40143() throws Exception {
        TokenDetails td = issue(null, null, null);
        assertAbly(() -> node(Keyring.of(ApiKey.parse(KEY_NAME + ":" + SECRET)), NOW).authenticateToken(td.token()), 40143);
    }

    @Test
    void aKeyNarrowedSinceIssueNarrowsItsTokens() throws Exception {
        TokenDetails td = issue(null, null, null);
        Keyring narrowed = Keyring.of(ApiKey.parse(LIMITED_NAME + ":" + LIMITED_SECRET, "{\"pub:*\":[\"subscribe\"]}"));
        AuthContext ctx = node(narrowed, NOW).authenticateToken(td.token());
        assertThat(ctx.capability().toJson()).isEqualTo("{\"pub:*\":[\"subscribe\"]}");
        Keyring disjoint = Keyring.of(ApiKey.parse(LIMITED_NAME + ":" + LIMITED_SECRET, "{\"[meta]*\":[\"subscribe\"]}"));
        assertThat(node(disjoint, NOW).authenticateToken(td.token()).capability().isEmpty()).isTrue();
    }

    @Test
    void theBase64FormIsAcceptedAsTheSdksSendItOverRest() throws Exception {
        TokenDetails td = issue(null, null, "carol");
        String encoded = Base64.getEncoder().encodeToString(td.token().getBytes(StandardCharsets.UTF_8));
        assertThat(issuingNode.authenticateToken(encoded).clientId()).isEqualTo("carol");
        assertThat(issuingNode.authenticateToken("  " + td.token() + " ").clientId()).isEqualTo("carol");
    }

    @Test
    void somethingThatIsNoTokenIs40145() {
        for (String junk : new String[] {"hello", "aGVsbG8=", "", "   ", "%%%"}) {
            assertAbly(() -> issuingNode.authenticateToken(junk), 40145);
        }
    }
}
