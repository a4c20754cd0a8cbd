package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tokens this server issues: {@code rc1~<payload>~<mac>}, self-contained and signed with the issuing key's
 * secret, so any node holding the key verifies them without shared state. '~' never appears in a JWT.
 */
final class NativeToken {
    static final String PREFIX = "rc1~";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    record Claims(String keyName, String clientId, String capability, long issued, long expires) {}

    private NativeToken() {}

    static boolean looksNative(String token) {
        return token.startsWith(PREFIX);
    }

    static String issue(ApiKey key, Claims claims) {
        ObjectNode p = JSON.createObjectNode();
        p.put("k", claims.keyName());
        if (claims.clientId() != null) {
            p.put("c", claims.clientId());
        }
        p.put("cap", claims.capability());
        p.put("i", claims.issued());
        p.put("x", claims.expires());
        String payload = ENC.encodeToString(p.toString().getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + '~' + ENC.encodeToString(Hmac.sha256(key.secret(), payload));
    }

    /** Reads the claims without verifying, to find the key; {@link #verify} must follow. */
    static Claims read(String token) {
        String[] parts = token.substring(PREFIX.length()).split("~", -1);
        if (parts.length != 2) {
            throw unrecognised();
        }
        try {
            JsonNode p = JSON.readTree(DEC.decode(parts[0]));
            return new Claims(p.path("k").asText(null), p.hasNonNull("c") ? p.get("c").asText() : null,
                    p.path("cap").asText(null), p.path("i").asLong(), p.path("x").asLong());
        } catch (Exception e) {
            throw unrecognised();
        }
    }

    static void verify(String token, ApiKey key) {
        String body = token.substring(PREFIX.length());
        int tilde = body.indexOf('~');
        String expected = ENC.encodeToString(Hmac.sha256(key.secret(), body.substring(0, tilde)));
        if (!Hmac.equal(expected, body.substring(tilde + 1))) {
            throw unrecognised();
        }
    }

    private static AblyException unrecognised() {
        return new AblyException(40143, 401, "Token unrecognised");
    }
}
