package io.rollcall.server.auth;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The token-request nonces seen recently, per key, to refuse replays (40105). A request is accepted only while
 * its timestamp is within the window of the server's clock, so a nonce first seen at time t can only be replayed
 * successfully until t + 2 x window; it is remembered that long and then forgotten. Bounded: when
 * {@code maxEntries} unexpired nonces are held, new ones are refused rather than older ones forgotten early,
 * since forgetting a live nonce would reopen it for replay.
 */
final class NonceCache {
    enum Outcome { RECORDED, REPLAYED, FULL }

    private record Seen(String key, long at) {}

    private final long retainMs;
    private final int maxEntries;
    private final ArrayDeque<Seen> order = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();

    NonceCache(long windowMs, int maxEntries) {
        this.retainMs = 2 * windowMs;
        this.maxEntries = maxEntries;
    }

    /** Records the key's nonce unless it is already held (REPLAYED) or the cache is full (FULL). */
    synchronized Outcome record(String keyName, String nonce, long nowMs) {
        while (!order.isEmpty() && order.peekFirst().at() + retainMs < nowMs) {
            seen.remove(order.pollFirst().key());
        }
        String key = keyName + '\n' + nonce;
        if (seen.contains(key)) {
            return Outcome.REPLAYED;
        }
        if (seen.size() >= maxEntries) {
            return Outcome.FULL;
        }
        seen.add(key);
        order.addLast(new Seen(key, nowMs));
        return Outcome.RECORDED;
    }

    synchronized int size() {
        return seen.size();
    }
}
