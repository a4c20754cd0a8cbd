package io.rollcall.server.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured API keys, by keyName. Immutable. */
public final class Keyring {
    private final Map<String, ApiKey> byName;

    public Keyring(List<ApiKey> keys) {
        Map<String, ApiKey> m = new LinkedHashMap<>();
        for (ApiKey k : keys) {
            if (m.put(k.keyName(), k) != null) {
                throw new IllegalArgumentException("duplicate key name " + k.keyName());
            }
        }
        this.byName = Map.copyOf(m);
    }

    /** The key, or null. */
    public ApiKey find(String keyName) {
        return byName.get(keyName);
    }
}
