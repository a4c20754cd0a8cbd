package io.rollcall.server.auth;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Nonces seen within the token-request time window, to refuse replays (40105). Bounded: entries older than
 * the window are forgotten, and past {@code maxEntries} the oldest go first (a request that old would fail the
 * timestamp check anyway once the window has passed).
 */
final class NonceCache {
    private record Seen(String key, long at) {}

    private final long windowMs;
    private final int maxEntries;
    private final ArrayDeque<Seen> order = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();

    NonceCache(long windowMs, int maxEntries) {
        this.windowMs = windowMs;
        this.maxEntries = maxEntries;
    }

    /** Records the nonce; false if it was already seen within the window. */
    synchronized boolean add(String keyName, String nonce, long nowMs) {
        while (!order.isEmpty() && (order.peekFirst().at() < nowMs - windowMs || order.size() >= maxEntries)) {
            seen.remove(order.pollFirst().key());
        }
        String key = keyName + '\n' + nonce;
        if (!seen.add(key)) {
            return false;
        }
        order.addLast(new Seen(key, nowMs));
        return true;
    }
}
