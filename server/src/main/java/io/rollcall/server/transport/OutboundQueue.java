package io.rollcall.server.transport;

import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.WireFormat;

/**
 * A socket's queue of messages to write: any thread offers, the socket's loop polls. A short monitor per call
 * rather than a padded lock-free queue: JCTools' chunked MPSC queue costs about 700 bytes per socket in padding,
 * a quarter of an idle connection's whole footprint, while an uncontended monitor is a few nanoseconds. Its own
 * ring rather than an ArrayDeque, and the bound checked in the same call as the offer: a fan-out offers to
 * thousands of sockets in turn, and each object and lock reached per delivery is a cache miss. The ring starts
 * small, and one that grew is replaced by a small one once it drains (see {@link #shrink}).
 *
 * <p>It also knows whether the socket is due a drain ({@code scheduled}): the same monitor decides it, so a
 * delivery is one lock and no further atomic operation, and only the delivery that finds the socket idle makes
 * it join its loop's turn. The drain takes a write's worth of messages in one call, not one call each.
 *
 * <p>A socket's session extends it (its monitor and fields first in the session object), so a delivery reaches
 * one object, not a session and then its queue.
 */
class OutboundQueue {
    private static final int INITIAL = 4;
    /** What {@link #offer} did: refused (the bound), queued, or queued and the socket must now be scheduled. */
    static final int FULL = -1;
    static final int QUEUED = 0;
    static final int SCHEDULE = 1;

    private EncodedMessage[] ring = new EncodedMessage[INITIAL];
    private int head;
    private int size;
    /** A drain is due: set by the offer that found the socket idle, cleared by the drain that empties it. */
    private boolean scheduled;

    /** Queues the message unless {@code limit} are queued already; SCHEDULE: the caller must have it drained. */
    synchronized int offer(EncodedMessage m, int limit) {
        if (size >= limit) {
            return FULL;
        }
        add(m);
        return schedule();
    }

    /** Queues it whatever the bound (the close marker and a farewell); SCHEDULE as above. */
    synchronized int offer(EncodedMessage m) {
        add(m);
        return schedule();
    }

    private int schedule() {
        if (scheduled) {
            return QUEUED;
        }
        scheduled = true;
        return SCHEDULE;
    }

    /** The socket can write again: true if it has messages and no drain is due, which the caller must arrange. */
    synchronized boolean requestDrain() {
        return size > 0 && schedule() == SCHEDULE;
    }

    /** The drain stopped with messages left (the socket is not writable): the next request schedules it. */
    synchronized void unschedule() {
        scheduled = false;
    }

    private void add(EncodedMessage m) {
        if (size == ring.length) {
            EncodedMessage[] bigger = new EncodedMessage[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = m;
        size++;
    }

    /** At most this many messages not yet encoded (of unknown size) go into one take. */
    private static final int UNSIZED = 16;

    /**
     * The consumer's take: the oldest messages, in a fresh array, until their frames in {@code format} reach
     * {@code maxBytes}; null if there are none. Messages are not encoded under the lock the producers take: at
     * most {@value #UNSIZED} not yet encoded go into one take, whatever their size. Emptying the queue
     * unschedules it.
     */
    synchronized EncodedMessage[] take(int maxBytes, WireFormat format) {
        int n = 0;
        int unsized = 0;
        long bytes = 0;
        int mask = ring.length - 1;
        while (n < size && bytes < maxBytes) {
            byte[] b = ring[(head + n) & mask].encoded(format);
            if (b != null) {
                bytes += WebSocketFrames.size(b.length);
            } else if (++unsized > UNSIZED) {
                break;
            }
            n++;
        }
        if (n == 0) {
            scheduled = false;
            shrink();
            return null;
        }
        EncodedMessage[] out = new EncodedMessage[n];
        for (int i = 0; i < n; i++) {
            out[i] = ring[head];
            ring[head] = null;
            head = (head + 1) & mask;
        }
        size -= n;
        if (size == 0) {
            scheduled = false;
            shrink();
        }
        return out;
    }

    synchronized EncodedMessage poll() {
        if (size == 0) {
            shrink();
            return null;
        }
        EncodedMessage m = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        return m;
    }

    /** The ring's slots (tests: what a burst leaves behind). */
    synchronized int capacity() {
        return ring.length;
    }

    synchronized int size() {
        return size;
    }

    synchronized boolean isEmpty() {
        return size == 0;
    }

    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        size = 0;
        shrink();
    }

    /**
     * The queue just emptied: a ring that grew is replaced by a small, fresh one. Kept for the socket's life, a
     * ring grown for one burst makes every later delivery land on another of its cache lines, in an array the GC
     * has long promoted (a card to mark per store); a young ring of one cache line has neither. At 10,000
     * sockets, after the throughput run, a fan-out's p50 latency went from 15-19% above the reference's to 7-12%,
     * for an allocation per busy period that needed more than {@value #INITIAL} slots.
     */
    private void shrink() {
        if (ring.length > INITIAL) {
            ring = new EncodedMessage[INITIAL];
            head = 0;
        }
    }
}
