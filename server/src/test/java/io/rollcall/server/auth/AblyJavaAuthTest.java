package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Param;
import io.rollcall.server.protocol.AblyException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against the real ably-java 1.5.0: TokenRequests it signs (locally, no network) verify here, tampered ones do
 * not, it reads the TokenDetails answered here, and the credentials it presents authenticate.
 */
class AblyJavaAuthTest {
    private static final long NOW = 1_750_000_000_000L;
    private static final String KEY = "sdkapp.sdkkey:sdk-key-secret";
    private static final String KEY_CAPABILITY = "{\"chat:*\":[\"presence\",\"publish\",\"subscribe\"],\"news\":[\"subscribe\"]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Keyring keys = Keyring.of(ApiKey.parse(KEY, KEY_CAPABILITY));
    private final Authenticator auth = new Authenticator(keys, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private static Auth.TokenRequest signedByAblyJava(String clientOptionsClientId, Auth.TokenParams params) throws Exception {
        ClientOptions opts = new ClientOptions(KEY);
        opts.clientId = clientOptionsClientId;
        try (AblyRest rest = new AblyRest(opts)) {
            return rest.auth.createTokenRequest(params, null);
        }
    }

    private static Auth.TokenParams params(long ttl, String capability, String clientId) {
        Auth.TokenParams p = new Auth.TokenParams();
        p.ttl = ttl;
        p.capability = capability;
        p.clientId = clientId;
        p.timestamp = NOW - 500; // set, so ably-java neither reads the clock nor asks a server for the time
        return p;
    }

    /** The body ably-java POSTs: its own JSON form of the request. */
    private static ObjectNode body(Auth.TokenRequest request) throws Exception {
        return (ObjectNode) JSON.readTree(request.asJson());
    }

    @Test
    void aFullTokenRequestFromAblyJavaVerifies() throws Exception {
        Auth.TokenRequest request = signedByAblyJava(null,
                params(120_000, "{\"news\":[\"subscribe\",\"publish\"],\"chat:lobby\":[\"*\"]}", "java-user"));
        TokenDetails td = auth.requestToken("sdkapp.sdkkey", body(request));
        assertThat(td.clientId()).isEqualTo("java-user");
        assertThat(td.issued()).isEqualTo(NOW);
        assertThat(td.expires()).isEqualTo(NOW + 120_000);
        assertThat(td.capability()).isEqualTo("{\"chat:lobby\":[\"presence\",\"publish\",\"subscribe\"],\"news\":[\"subscribe\"]}");
    }

    @Test
    void aMinimalTokenRequestFromAblyJavaVerifies() throws Exception {
        Auth.TokenParams p = new Auth.TokenParams();
        p.timestamp = NOW;
        TokenDetails td = auth.requestToken("sdkapp.sdkkey", body(signedByAblyJava(null, p)));
        assertThat(td.clientId()).isNull();
        assertThat(td.expires()).isEqualTo(NOW + 3_600_000);
        assertThat(td.capability()).isEqualTo(Capability.parse(KEY_CAPABILITY).toJson());
    }

    @Test
    void theClientOptionsClientIdIsSignedIntoTheRequest() throws Exception {
        Auth.TokenParams p = new Auth.TokenParams();
        p.timestamp = NOW;
        TokenDetails td = auth.requestToken("sdkapp.sdkkey", body(signedByAblyJava("opts-user", p)));
        assertThat(td.clientId()).isEqualTo("opts-user");
    }

    @Test
    void aTamperedAblyJavaRequestIsRefused() throws Exception {
        ObjectNode original = body(signedByAblyJava(null, params(120_000, "{\"news\":[\"subscribe\"]}", "java-user")));
        Map<String, ObjectNode> tampered = new LinkedHashMap<>();
        tampered.put("clientId", original.deepCopy().put("clientId", "admin"));
        tampered.put("ttl", original.deepCopy().put("ttl", 86_400_000L));
        tampered.put("capability", original.deepCopy().put("capability", "{\"chat:*\":[\"publish\"]}"));
        tampered.put("timestamp", original.deepCopy().put("timestamp", NOW));
        tampered.put("nonce", original.deepCopy().put("nonce", "0000000000000001"));
        String mac = original.get("mac").asText();
        tampered.put("mac", original.deepCopy().put("mac", (mac.charAt(0) == 'A' ? "B" : "A") + mac.substring(1)));
        for (Map.Entry<String, ObjectNode> t : tampered.entrySet()) {
            assertThatThrownBy(() -> auth.requestToken("sdkapp.sdkkey", t.getValue())).as(t.getKey())
                    .isInstanceOfSatisfying(AblyException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(40101);
                        assertThat(e.error().statusCode()).isEqualTo(401);
                    });
        }
        auth.requestToken("sdkapp.sdkkey", original);
        assertThatThrownBy(() -> auth.requestToken("sdkapp.sdkkey", original)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).isEqualTo(40105));
    }

    @Test
    void ablyJavaReadsTheTokenDetailsAnsweredAndPresentsTheToken() throws Exception {
        TokenDetails td = auth.requestToken("sdkapp.sdkkey",
                body(signedByAblyJava(null, params(600_000, null, "reader"))));
        // The response body as the REST layer writes it: capability is a JSON string.
        ObjectNode response = JSON.createObjectNode();
        response.put("token", td.token()).put("keyName", td.keyName()).put("issued", td.issued())
                .put("expires", td.expires()).put("capability", td.capability()).put("clientId", td.clientId());
        Auth.TokenDetails read = Auth.TokenDetails.fromJson(response.toString());
        assertThat(read.token).isEqualTo(td.token());
        assertThat(read.issued).isEqualTo(td.issued());
        assertThat(read.expires).isEqualTo(td.expires());
        assertThat(read.capability).isEqualTo(td.capability());
        assertThat(read.clientId).isEqualTo("reader");

        ClientOptions opts = new ClientOptions();
        opts.tokenDetails = read;
        try (AblyRest rest = new AblyRest(opts)) {
            rest.auth.assertAuthorizationHeader(false);
            String header = rest.auth.getAuthorizationHeader();
            assertThat(header).startsWith("Bearer ").doesNotContain(td.token());
            AuthContext viaRest = auth.authenticateHeader(header);
            assertThat(viaRest.clientId()).isEqualTo("reader");
            assertThat(viaRest.kind()).isEqualTo(AuthContext.Kind.TOKEN);

            Param[] socketParams = rest.auth.getAuthParams();
            assertThat(socketParams[0].key).isEqualTo("accessToken");
            assertThat(auth.authenticateToken(socketParams[0].value).clientId()).isEqualTo("reader");
        }
    }

    @Test
    void ablyJavasBasicHeaderAndKeyParamAuthenticate() throws Exception {
        try (AblyRest rest = new AblyRest(new ClientOptions(KEY))) {
            rest.auth.assertAuthorizationHeader(false);
            AuthContext viaHeader = auth.authenticateHeader(rest.auth.getAuthorizationHeader());
            assertThat(viaHeader.kind()).isEqualTo(AuthContext.Kind.BASIC);
            assertThat(viaHeader.isWildcard()).isTrue();
            Param[] socketParams = rest.auth.getAuthParams();
            assertThat(socketParams[0].key).isEqualTo("key");
            assertThat(auth.authenticateKey(socketParams[0].value).keyName()).isEqualTo("sdkapp.sdkkey");
        }
    }
}
