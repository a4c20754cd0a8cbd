package io.rollcall.server.core;

import io.rollcall.server.protocol.EncodedMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's latest messages, for the replay of a resumed re-attach: what a dying socket swallowed is resent
 * from here when it is newer than the client's channelSerial. Kept once per channel rather than per connection:
 * remembering each delivery per recipient cost a store into every subscriber's own (old-generation) buffer per
 * message, whose GC write barriers dominated a large fan-out. Bounded by {@code replayMessages}; the ring grows
 * to its bound only as traffic needs. Guarded by the channel's monitor.
 */
final class ReplayWindow {
    /** What a replay needs to know of one message: who may have had it, and where it stands. */
    record Entry(EncodedMessage message, long serial, HistorySerial stored, String origin) {}

    private final int bound;
    private Entry[] ring = new Entry[0];
    private int head;
    private int size;
    /** The highest serial this window has forgotten: a replay from before it would have a gap. */
    private long forgotten = Long.MIN_VALUE;

    ReplayWindow(int bound) {
        this.bound = bound;
    }

    void add(EncodedMessage message, HistorySerial stored, String origin) {
        long serial = counter(message.message().channelSerial);
        if (size == bound) {
            Entry gone = ring[head];
            forgotten = Math.max(forgotten, gone.serial());
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        } else if (size == ring.length) {
            Entry[] bigger = new Entry[Math.min(bound, Math.max(8, ring.length * 2))];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) % ring.length];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) % ring.length] = new Entry(message, serial, stored, origin);
        size++;
    }

    /** Whether every message after the serial {@code after} is still here. */
    boolean covers(long after) {
        return forgotten <= after;
    }

    /** The kept messages after the serial {@code after}, oldest first. */
    List<Entry> newerThan(long seen) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Entry e = ring[(head + i) % ring.length];
            if (e.serial() > seen) {
                out.add(e);
            }
        }
        return out;
    }

    /** A client's channelSerial as a counter; none seen yet is before everything. */
    static long seen(String clientSerial) {
        return clientSerial == null ? Long.MIN_VALUE : counter(clientSerial);
    }

    /** The counter of a channelSerial; an attach serial carries its history point after a ':' (Channel.attach). */
    private static long counter(String channelSerial) {
        try {
            int colon = channelSerial.indexOf(':');
            return Long.parseLong(channelSerial, 0, colon < 0 ? channelSerial.length() : colon, 36);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
