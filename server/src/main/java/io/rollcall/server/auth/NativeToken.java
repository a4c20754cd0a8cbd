package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.protocol.AblyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The token format this server issues: {@code rc1~<payload>~<mac>}, where payload is base64url (no padding) of
 * JSON {@code {keyName, clientId, capability, issued, expires}} and mac is base64url of HMAC-SHA256 over
 * {@code rc1~<payload>} with the issuing key's secret.
 *
 * <p>Why this shape: the token carries everything needed to check it, so any node holding the key verifies it
 * with no shared state; the version prefix is signed too, so a later format cannot be confused with this one; and
 * {@code ~} occurs neither in a JWT (three base64url parts joined by {@code .}) nor in base64, so a token, a JWT
 * and a base64-encoded bearer value are told apart by their characters alone.
 */
final class NativeToken {
    static final String PREFIX = "rc1~";
    private static final char SEPARATOR = '~';
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    /** What a token says. Only to be trusted after {@link #open} has checked the MAC. */
    record Claims(String keyName, String clientId, String capability, long issued, long expires) {}

    private NativeToken() {}

    /** True if the text has this format's marker; it may still be forged or malformed. */
    static boolean looksNative(String token) {
        return token.indexOf(SEPARATOR) >= 0;
    }

    static String seal(Claims claims, String secret) {
        ObjectNode p = JSON.createObjectNode();
        p.put("keyName", claims.keyName());
        if (claims.clientId() != null) {
            p.put("clientId", claims.clientId());
        }
        p.put("capability", claims.capability());
        p.put("issued", claims.issued());
        p.put("expires", claims.expires());
        String signed = PREFIX + ENC.encodeToString(p.toString().getBytes(StandardCharsets.UTF_8));
        return signed + SEPARATOR + ENC.encodeToString(Hmac.sha256(secret, signed));
    }

    /**
     * Checks the token with the key it names and returns its claims. Anything malformed, from an unknown key,
     * or with a MAC that does not verify is 40143 "token unrecognised"/401. Expiry is the caller's to judge.
     */
    static Claims open(String token, Keyring keys) {
        int mark = token.lastIndexOf(SEPARATOR);
        if (!token.startsWith(PREFIX) || mark < PREFIX.length()) {
            throw unrecognised("not a token this server issues");
        }
        String signed = token.substring(0, mark);
        Claims claims = read(signed.substring(PREFIX.length()));
        ApiKey key = keys.find(claims.keyName());
        if (key == null) {
            throw unrecognised("its key is not configured here");
        }
        if (!Hmac.equal(ENC.encodeToString(Hmac.sha256(key.secret(), signed)), token.substring(mark + 1))) {
            throw unrecognised("its signature does not verify");
        }
        return claims;
    }

    private static Claims read(String payload) {
        JsonNode p;
        try {
            p = JSON.readTree(DEC.decode(payload));
        } catch (IllegalArgumentException | IOException e) {
            throw unrecognised("its payload is malformed");
        }
        if (p == null || !p.path("keyName").isTextual() || !p.path("capability").isTextual()
                || !p.path("issued").canConvertToLong() || !p.path("expires").canConvertToLong()
                || (p.has("clientId") && !p.get("clientId").isTextual())) {
            throw unrecognised("its payload is malformed");
        }
        return new Claims(p.get("keyName").asText(), p.has("clientId") ? p.get("clientId").asText() : null,
                p.get("capability").asText(), p.get("issued").asLong(), p.get("expires").asLong());
    }

    private static AblyException unrecognised(String why) {
        return new AblyException(40143, 401, "Token unrecognised: " + why);
    }
}
