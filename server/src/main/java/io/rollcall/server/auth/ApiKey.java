package io.rollcall.server.auth;

import io.rollcall.server.protocol.AblyException;

/** An API key {@code appId.keyId:secret} with its capability. The key belongs to app {@code appId}. */
public record ApiKey(String appId, String keyName, String secret, Capability capability) {

    public static ApiKey parse(String key) {
        return parse(key, null);
    }

    public static ApiKey parse(String key, String capabilityJson) {
        int colon = key == null ? -1 : key.indexOf(':');
        int dot = key == null ? -1 : key.indexOf('.');
        if (colon <= 0 || dot <= 0 || dot > colon || dot == colon - 1 || colon == key.length() - 1) {
            throw new AblyException(40005, 400, "Invalid key: expected appId.keyId:secret");
        }
        Capability cap = capabilityJson == null ? Capability.all() : Capability.parse(capabilityJson);
        return new ApiKey(key.substring(0, dot), key.substring(0, colon), key.substring(colon + 1), cap);
    }

    @Override
    public String toString() {
        return keyName + ":<secret>";
    }
}
