package io.rollcall.server.core;

import java.util.concurrent.CompletableFuture;

/**
 * The outcomes of a connection's most recent sequenced operations, by msgSerial (bounded ring). An SDK that
 * resumes resends what it has not had acknowledged with the same msgSerial; the resend must get the original's
 * answer (its ACK, or its NACK with the same error), never an ACK for something that was refused. Touched only
 * on the connection's socket thread, like the msgSerial it follows.
 */
final class RecentOutcomes {
    private final long[] serials;
    private final CompletableFuture<?>[] outcomes;

    RecentOutcomes(int capacity) {
        serials = new long[capacity];
        outcomes = new CompletableFuture<?>[capacity];
        java.util.Arrays.fill(serials, -1);
    }

    void record(long serial, CompletableFuture<?> outcome) {
        int slot = (int) (serial % serials.length);
        serials[slot] = serial;
        outcomes[slot] = outcome;
    }

    /** The original's outcome, or null when it is older than what is remembered. */
    CompletableFuture<?> of(long serial) {
        int slot = (int) (serial % serials.length);
        return serials[slot] == serial ? outcomes[slot] : null;
    }
}
