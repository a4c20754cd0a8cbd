package io.rollcall.server.core;

/**
 * A range of a channel's history: every entry from {@code from} to {@code to} (both inclusive), oldest first
 * when {@code forwards}, else newest first, at most {@code limit} of them. Cursors, {@code start}/{@code end}
 * and an attach serial all narrow the same two bounds.
 */
public record HistoryQuery(HistorySerial from, HistorySerial to, boolean forwards, int limit) {
    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public boolean isEmpty() {
        return from.compareTo(to) > 0;
    }
}
