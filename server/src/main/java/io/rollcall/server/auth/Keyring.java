package io.rollcall.server.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The API keys, looked up by keyName ({@code appId.keyId}): the configured ones, immutable, so every node of a
 * cluster given the same configuration verifies the same credentials with no shared state; and those of apps
 * provisioned at run time through the sandbox API ({@code POST /apps}), which live on the node that made them.
 */
public final class Keyring {
    private final Map<String, ApiKey> byName;
    private final SortedSet<String> apps;
    private final Map<String, ApiKey> provisioned = new java.util.concurrent.ConcurrentHashMap<>();

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
        if (keyName == null) {
            return null;
        }
        ApiKey k = byName.get(keyName);
        return k != null ? k : provisioned.get(keyName);
    }

    /** Adds the keys of a provisioned app, whose id no configured or provisioned key uses yet. */
    public synchronized void provision(String appId, List<ApiKey> keys) {
        if (apps.contains(appId) || provisioned.values().stream().anyMatch(k -> k.appId().equals(appId))) {
            throw new IllegalArgumentException("app " + appId + " already exists");
        }
        for (ApiKey k : keys) {
            if (!k.appId().equals(appId)) {
                throw new IllegalArgumentException("key " + k.keyName() + " is not in app " + appId);
            }
            provisioned.put(k.keyName(), k);
        }
    }

    /** Forgets a provisioned app's keys; returns false if no provisioned app has that id. */
    public synchronized boolean unprovision(String appId) {
        return provisioned.values().removeIf(k -> k.appId().equals(appId));
    }

    /** How many apps were provisioned at run time and not yet removed. */
    public int provisionedApps() {
        return (int) provisioned.values().stream().map(ApiKey::appId).distinct().count();
    }

    /** Whether the app was provisioned at run time (configured apps are not). */
    public boolean isProvisioned(String appId) {
        return provisioned.values().stream().anyMatch(k -> k.appId().equals(appId));
    }

    /** Every configured key, in configuration order (provisioned apps' keys are not listed). */
    public List<ApiKey> keys() {
        return List.copyOf(byName.values());
    }

    /** The apps the keys belong to, sorted. */
    public SortedSet<String> apps() {
        return apps;
    }
}
