package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.protocol.AblyException;
import java.time.Clock;
import java.util.Base64;

/**
 * Answers {@code POST /keys/{keyName}/requestToken} and verifies the tokens it issues.
 *
 * <p>A TokenRequest carries no Authorization header: its MAC is the only proof that the key holder made it.
 * The MAC is base64(HMAC-SHA256(secret, text)) where text is keyName, ttl, capability, clientId, timestamp and
 * nonce, each followed by a newline, with empty strings for an unset ttl, capability or clientId (ably-js and
 * ably-java {@code createTokenRequest}). The server signs exactly the strings it received; capability is signed
 * as sent, already canonicalised by the SDK.
 */
final class TokenIssuer {
    private static final int MIN_NONCE_LENGTH = 16;

    private final Keyring keys;
    private final Clock clock;
    private final TokenPolicy policy;
    private final NonceCache nonces;

    TokenIssuer(Keyring keys, Clock clock, TokenPolicy policy) {
        this.keys = keys;
        this.clock = clock;
        this.policy = policy;
        this.nonces = new NonceCache(policy.timestampWindow().toMillis(), policy.maxNonces());
    }

    TokenDetails requestToken(String pathKeyName, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw badBody("the body must be a JSON object");
        }
        String keyName = required(body, "keyName");
        String nonce = required(body, "nonce");
        String mac = required(body, "mac");
        long timestamp = timestamp(body);
        String ttlText = ttlText(body);
        String capabilityText = capabilityText(body);
        String clientIdText = optionalText(body, "clientId");
        if (nonce.length() < MIN_NONCE_LENGTH) {
            throw new AblyException(40003, 400, "Invalid token request: nonce must be at least 16 characters");
        }

        if (!keyName.equals(pathKeyName)) {
            throw new AblyException(40101, 401, "Invalid credentials: the token request's keyName " + keyName
                    + " is not the key named in the path");
        }
        ApiKey key = keys.find(keyName);
        if (key == null) {
            throw new AblyException(40101, 401, "Invalid credentials: no key named " + keyName);
        }
        String text = keyName + '\n' + ttlText + '\n' + capabilityText + '\n' + clientIdText + '\n'
                + timestamp + '\n' + nonce + '\n';
        if (!Hmac.equal(Base64.getEncoder().encodeToString(Hmac.sha256(key.secret(), text)), mac)) {
            throw new AblyException(40101, 401, "Invalid credentials: the token request's mac does not verify");
        }

        long now = clock.millis();
        long window = policy.timestampWindow().toMillis();
        if (Math.abs(now - timestamp) > window) {
            throw new AblyException(40104, 401, "Timestamp not current: the token request was made at " + timestamp
                    + ", more than " + window + " ms from the server's time " + now);
        }
        long ttl = ttl(ttlText);
        Capability capability = capabilityText.isEmpty()
                ? key.capability()
                : key.capability().intersect(Capability.parse(capabilityText));
        String clientId = clientIdText.isEmpty() ? null : clientIdText;

        // Last, so that a request refused for any other reason can be corrected and retried with its nonce.
        switch (nonces.record(keyName, nonce, now)) {
            case REPLAYED -> throw new AblyException(40105, 401, "Nonce value replayed: this token request was already used");
            case FULL -> throw new AblyException(42910, 429,
                    "Rate limit exceeded: too many token requests within the timestamp window; retry shortly");
            case RECORDED -> { }
        }
        long expires = now + ttl;
        String token = NativeToken.seal(new NativeToken.Claims(keyName, clientId, capability.toJson(), now, expires), key.secret());
        return new TokenDetails(token, keyName, now, expires, capability.toJson(), clientId);
    }

    /** Checks a native token: signature, then expiry (40142/401), then narrows it to the key's capability now. */
    AuthContext verify(String token) {
        NativeToken.Claims claims = NativeToken.open(token, keys);
        if (clock.millis() >= claims.expires()) {
            throw new AblyException(40142, 401, "Token expired at " + claims.expires());
        }
        ApiKey key = keys.find(claims.keyName());
        // A key whose capability was narrowed since the token was issued narrows the token too.
        Capability capability = key.capability().intersection(Capability.parse(claims.capability()));
        return new AuthContext(key.appId(), key.keyName(), claims.clientId(), capability, claims.expires(),
                AuthContext.Kind.TOKEN);
    }

    private long ttl(String ttlText) {
        if (ttlText.isEmpty()) {
            return policy.defaultTtl().toMillis();
        }
        long ttl;
        try {
            ttl = Long.parseLong(ttlText);
        } catch (NumberFormatException e) {
            throw new AblyException(40003, 400, "Invalid ttl '" + ttlText + "': a whole number of milliseconds");
        }
        long max = policy.maxTtl().toMillis();
        if (ttl <= 0 || ttl > max) {
            throw new AblyException(40003, 400, "Invalid ttl " + ttl + ": must be between 1 and " + max + " ms");
        }
        return ttl;
    }

    private static String required(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw badBody("'" + field + "' is missing");
        }
        if (!n.isTextual() || n.asText().isEmpty()) {
            throw badBody("'" + field + "' must be a non-empty string");
        }
        return n.asText();
    }

    private static long timestamp(JsonNode body) {
        JsonNode n = body.get("timestamp");
        if (n == null || n.isNull()) {
            throw badBody("'timestamp' is missing");
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual() && n.asText().matches("\\d{1,18}")) {
            return Long.parseLong(n.asText());
        }
        throw new AblyException(40003, 400, "Invalid token request: timestamp must be a whole number of milliseconds");
    }

    /** As the SDKs sign it: absent or 0 (ably-js signs a falsy ttl as '') is '', a number its decimal digits. */
    private static String ttlText(JsonNode body) {
        JsonNode n = body.get("ttl");
        if (n == null || n.isNull()) {
            return "";
        }
        if (n.isIntegralNumber()) {
            return n.asLong() == 0 ? "" : n.asText();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        throw new AblyException(40003, 400, "Invalid ttl " + n + ": a whole number of milliseconds");
    }

    /** The capability string as signed: sent as a JSON string; an object is taken in its canonical form. */
    private static String capabilityText(JsonNode body) {
        JsonNode n = body.get("capability");
        if (n == null || n.isNull()) {
            return "";
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isObject()) {
            return Capability.fromTree(n).toJson();
        }
        throw new AblyException(40000, 400, "Invalid capability: it must be a JSON string");
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw badBody("'" + field + "' must be a string");
        }
        return n.asText();
    }

    private static AblyException badBody(String why) {
        return new AblyException(40001, 400, "Invalid token request body: " + why);
    }
}
