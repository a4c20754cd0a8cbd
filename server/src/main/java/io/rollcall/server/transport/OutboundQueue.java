package io.rollcall.server.transport;

import io.rollcall.server.protocol.EncodedMessage;

/**
 * A socket's queue of messages to write: any thread offers, the socket's loop polls. A short monitor per call
 * rather than a padded lock-free queue: JCTools' chunked MPSC queue costs about 700 bytes per socket in padding,
 * a quarter of an idle connection's whole footprint, while an uncontended monitor is a few nanoseconds. Its own
 * ring rather than an ArrayDeque, and the bound checked in the same call as the offer: a fan-out offers to
 * thousands of sockets in turn, and each object and lock reached per delivery is a cache miss. The ring starts
 * small, and one that grew for a burst is replaced by a small one once it drains, so a burst does not pin its
 * peak for the socket's life.
 */
final class OutboundQueue {
    private static final int INITIAL = 4;
    /** Above this many slots an emptied queue is replaced, freeing the burst's array. */
    private static final int KEEP = 256;

    private EncodedMessage[] ring = new EncodedMessage[INITIAL];
    private int head;
    private int size;
    private int peak;

    /** Queues the message unless {@code limit} are queued already. */
    synchronized boolean offer(EncodedMessage m, int limit) {
        if (size >= limit) {
            return false;
        }
        add(m);
        return true;
    }

    /** Queues it whatever the bound (the close marker and a farewell). */
    synchronized void offer(EncodedMessage m) {
        add(m);
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
        if (++size > peak) {
            peak = size;
        }
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

    private void shrink() {
        if (peak > KEEP) {
            ring = new EncodedMessage[INITIAL];
            head = 0;
        }
        peak = 0;
    }
}
