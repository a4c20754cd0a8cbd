package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.protocol.AblyException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Answers {@code POST /keys/{keyName}/requestToken}: verifies the signed TokenRequest (the MAC is the only
 * proof; there is no Authorization header), then issues a native token.
 */
final class TokenIssuer {
    static final long DEFAULT_TTL_MS = Duration.ofMinutes(60).toMillis();
    static final long MAX_TTL_MS = Duration.ofHours(24).toMillis();
    static final long TIMESTAMP_WINDOW_MS = Duration.ofMinutes(2).toMillis();
    static final int MAX_NONCES = 100_000;

    private final Keyring keys;
    private final Clock clock;
    private final NonceCache nonces = new NonceCache(2 * TIMESTAMP_WINDOW_MS, MAX_NONCES);

    TokenIssuer(Keyring keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    TokenDetails requestToken(String pathKeyName, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new AblyException(40001, 400, "Token request body must be a JSON object");
        }
        String keyName = text(body, "keyName");
        if (keyName == null || !keyName.equals(pathKeyName)) {
            throw new AblyException(40101, 401, "Invalid credentials: keyName in the body does not match the path");
        }
        ApiKey key = keys.find(keyName);
        if (key == null) {
            throw new AblyException(40101, 401, "Invalid credentials: no key named " + keyName);
        }
        String nonce = text(body, "nonce");
        String mac = text(body, "mac");
        if (nonce == null || nonce.length() < 16 || mac == null || !body.path("timestamp").canConvertToLong()) {
            throw new AblyException(40001, 400, "Token request needs timestamp, a nonce of at least 16 characters, and mac");
        }
        long timestamp = body.get("timestamp").asLong();
        String ttlText = body.hasNonNull("ttl") ? body.get("ttl").asText() : "";
        String capText = text(body, "capability") == null ? "" : text(body, "capability");
        String clientId = text(body, "clientId");
        String signed = keyName + '\n' + ttlText + '\n' + capText + '\n' + (clientId == null ? "" : clientId) + '\n'
                + timestamp + '\n' + nonce + '\n';
        if (!Hmac.equal(Base64.getEncoder().encodeToString(Hmac.sha256(key.secret(), signed)), mac)) {
            throw new AblyException(40101, 401, "Invalid credentials: token request MAC does not verify");
        }
        long now = clock.millis();
        if (Math.abs(now - timestamp) > TIMESTAMP_WINDOW_MS) {
            throw new AblyException(40104, 401, "Timestamp not current: token request is more than 2 minutes old or ahead");
        }
        if (!nonces.add(keyName, nonce, now)) {
            throw new AblyException(40105, 401, "Nonce value replayed");
        }
        long ttl = DEFAULT_TTL_MS;
        if (!ttlText.isEmpty()) {
            try {
                ttl = Long.parseLong(ttlText);
            } catch (NumberFormatException e) {
                throw new AblyException(40003, 400, "Invalid ttl");
            }
            if (ttl <= 0 || ttl > MAX_TTL_MS) {
                throw new AblyException(40003, 400, "Invalid ttl: must be between 1 ms and 24 hours");
            }
        }
        Capability capability = capText.isEmpty() ? key.capability() : key.capability().intersect(Capability.parse(capText));
        long expires = now + ttl;
        String token = NativeToken.issue(key, new NativeToken.Claims(keyName, clientId, capability.toJson(), now, expires));
        return new TokenDetails(token, keyName, now, expires, capability.toJson(), clientId);
    }

    AuthContext verify(String token) {
        NativeToken.Claims claims = NativeToken.read(token);
        ApiKey key = claims.keyName() == null ? null : keys.find(claims.keyName());
        if (key == null) {
            throw new AblyException(40143, 401, "Token unrecognised");
        }
        NativeToken.verify(token, key);
        if (clock.millis() >= claims.expires()) {
            throw new AblyException(40142, 401, "Token expired");
        }
        // The key's capability may have narrowed since issue: the token never exceeds it.
        Capability cap = key.capability().intersect(Capability.parse(claims.capability()));
        return new AuthContext(key.appId(), key.keyName(), claims.clientId(), cap, claims.expires(), AuthContext.Kind.TOKEN);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
