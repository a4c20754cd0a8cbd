package io.rollcall.server.transport;

import io.rollcall.server.protocol.EncodedMessage;
import java.util.ArrayDeque;

/**
 * A socket's queue of messages to write: any thread offers, the socket's loop polls. A short monitor per call
 * rather than a padded lock-free queue: JCTools' chunked MPSC queue costs about 700 bytes per socket in padding,
 * a quarter of an idle connection's whole footprint, while an uncontended monitor is a few nanoseconds against
 * microseconds of work per delivery. The backing array starts small, and a queue that grew for a burst is
 * replaced by a small one once it drains, so a burst does not pin its peak for the socket's life.
 */
final class OutboundQueue {
    private static final int INITIAL = 4;
    /** Above this many slots an emptied queue is replaced, freeing the burst's array. */
    private static final int KEEP = 256;

    private ArrayDeque<EncodedMessage> items = new ArrayDeque<>(INITIAL);
    private int peak;

    synchronized void offer(EncodedMessage m) {
        items.addLast(m);
        if (items.size() > peak) {
            peak = items.size();
        }
    }

    synchronized EncodedMessage poll() {
        EncodedMessage m = items.pollFirst();
        if (m == null) {
            shrink();
        }
        return m;
    }

    synchronized int size() {
        return items.size();
    }

    synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    synchronized void clear() {
        items.clear();
        shrink();
    }

    private void shrink() {
        if (peak > KEEP) {
            items = new ArrayDeque<>(INITIAL);
        }
        peak = 0;
    }
}
