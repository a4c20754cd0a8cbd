package io.rollcall.server.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The configured API keys, looked up by keyName ({@code appId.keyId}). Immutable, so every node of a cluster
 * given the same configuration verifies the same credentials with no shared state.
 */
public final class Keyring {
    private final Map<String, ApiKey> byName;
    private final SortedSet<String> apps;

    public Keyring(List<ApiKey> keys) {
        Map<String, ApiKey> m = new LinkedHashMap<>();
        SortedSet<String> a = new TreeSet<>();
        for (ApiKey k : keys) {
            if (m.put(k.keyName(), k) != null) {
                throw new IllegalArgumentException("duplicate key name " + k.keyName());
            }
            a.add(k.appId());
        }
        this.byName = Collections.unmodifiableMap(m);
        this.apps = Collections.unmodifiableSortedSet(a);
    }

    public static Keyring of(ApiKey... keys) {
        return new Keyring(List.of(keys));
    }

    /** The key with this keyName, or null. */
    public ApiKey find(String keyName) {
        return keyName == null ? null : byName.get(keyName);
    }

    /** Every key, in configuration order. */
    public List<ApiKey> keys() {
        return List.copyOf(byName.values());
    }

    /** The apps the keys belong to, sorted. */
    public SortedSet<String> apps() {
        return apps;
    }
}
