package io.rollcall.server.auth;

import io.rollcall.server.protocol.AblyException;
import java.util.Objects;

/**
 * An API key {@code appId.keyId:secret} and its capability. Its keyName ({@code appId.keyId}) is public and
 * names it in token requests, tokens and JWTs; the secret signs them. The key belongs to app {@code appId}.
 */
public record ApiKey(String appId, String keyName, String secret, Capability capability) {

    public ApiKey {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(capability, "capability");
        if (!keyName.startsWith(appId + ".")) {
            throw new IllegalArgumentException("keyName " + keyName + " is not in app " + appId);
        }
    }

    /** A key with every capability ({"*":["*"]}, Ably's default). */
    public static ApiKey parse(String key) {
        return parse(key, null);
    }

    /**
     * A key with the given capability JSON (null for all). A key that is not {@code appId.keyId:secret} is
     * 40005 "invalid credential"/400, as Ably answers a malformed key; a bad capability is 40000.
     */
    public static ApiKey parse(String key, String capabilityJson) {
        if (key == null) {
            throw invalid("no key given");
        }
        int colon = key.indexOf(':');
        if (colon < 0) {
            throw invalid("no ':' before the secret");
        }
        String keyName = key.substring(0, colon);
        String secret = key.substring(colon + 1);
        int dot = keyName.indexOf('.');
        if (dot <= 0 || dot == keyName.length() - 1) {
            throw invalid("the key name must be appId.keyId");
        }
        // The SDKs split the key on ':' and insist on exactly two parts (ably-java Auth.createTokenRequest).
        if (secret.isEmpty() || secret.indexOf(':') >= 0) {
            throw invalid("the secret must be non-empty and contain no ':'");
        }
        Capability cap = capabilityJson == null ? Capability.all() : Capability.parse(capabilityJson);
        return new ApiKey(keyName.substring(0, dot), keyName, secret, cap);
    }

    private static AblyException invalid(String why) {
        return new AblyException(40005, 400, "Invalid key: expected appId.keyId:secret (" + why + ")");
    }

    /** Never shows the secret: keys end up in logs and error messages. */
    @Override
    public String toString() {
        return keyName + ":<secret>";
    }
}
