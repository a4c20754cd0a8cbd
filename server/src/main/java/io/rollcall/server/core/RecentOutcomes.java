package io.rollcall.server.core;

import java.util.concurrent.CompletableFuture;

/**
 * The outcomes of a connection's most recent sequenced operations, by msgSerial (a bounded ring). An SDK that
 * resumes resends what it has not had acknowledged with the same msgSerial; the resend must get the original's
 * answer (its ACK, or its NACK with the same error), never an ACK for something that was refused. Allocated on
 * the first operation and grown to its bound as needed, so a connection that only listens costs nothing. Touched
 * only on the connection's socket thread, like the msgSerial it follows.
 */
final class RecentOutcomes {
    private final int capacity;
    /** Oldest first from {@code start}, wrapping; null until the first operation. */
    private CompletableFuture<?>[] ring;
    private int start;
    private int size;
    /** The msgSerial of the oldest outcome remembered. */
    private long first;

    RecentOutcomes(int capacity) {
        this.capacity = capacity;
    }

    /** Serials are recorded consecutively (InboundProtocol refuses gaps). */
    void record(long serial, CompletableFuture<?> outcome) {
        if (ring == null || serial != first + size) {
            ring = ring == null ? new CompletableFuture<?>[Math.min(2, capacity)] : ring;
            java.util.Arrays.fill(ring, null);
            start = 0;
            size = 0;
            first = serial;
        }
        if (size == ring.length) {
            if (ring.length < capacity) {
                CompletableFuture<?>[] grown = new CompletableFuture<?>[Math.min(capacity, ring.length * 2)];
                for (int i = 0; i < size; i++) {
                    grown[i] = ring[(start + i) % ring.length];
                }
                ring = grown;
                start = 0;
            } else {
                ring[start] = null;
                start = (start + 1) % ring.length;
                size--;
                first++;
            }
        }
        ring[(start + size) % ring.length] = outcome;
        size++;
    }

    /** The original's outcome, or null when it is older than what is remembered. */
    CompletableFuture<?> of(long serial) {
        if (ring == null || serial < first || serial >= first + size) {
            return null;
        }
        return ring[(int) ((start + (serial - first)) % ring.length)];
    }
}
