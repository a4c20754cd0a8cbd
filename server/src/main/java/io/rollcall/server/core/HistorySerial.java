package io.rollcall.server.core;

/**
 * Where a message sits in a channel's history: milliseconds of the store's clock, then a sequence within
 * that millisecond. Written {@code ms-seq}, the form of a Redis stream id, so both engines share one form
 * and a time bound ({@code start}, {@code end}, {@code rewind=1m}) is a serial bound.
 */
public record HistorySerial(long ms, long seq) implements Comparable<HistorySerial> {
    /** Before everything. */
    public static final HistorySerial ZERO = new HistorySerial(0, 0);
    /** After everything. */
    public static final HistorySerial MAX = new HistorySerial(Long.MAX_VALUE, Long.MAX_VALUE);

    /** The first serial of that millisecond. */
    public static HistorySerial atStartOf(long ms) {
        return new HistorySerial(Math.max(0, ms), 0);
    }

    /** The last serial of that millisecond. */
    public static HistorySerial atEndOf(long ms) {
        return ms == Long.MAX_VALUE ? MAX : new HistorySerial(Math.max(0, ms), Long.MAX_VALUE);
    }

    /** Parses {@code ms-seq} (or {@code ms}, meaning its first serial); null if it is not one. */
    public static HistorySerial parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int dash = s.indexOf('-');
        try {
            long ms = Long.parseLong(dash < 0 ? s : s.substring(0, dash));
            long seq = dash < 0 ? 0 : Long.parseLong(s.substring(dash + 1));
            return ms < 0 || seq < 0 ? null : new HistorySerial(ms, seq);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The serial right after this one (MAX stays MAX). */
    public HistorySerial next() {
        if (equals(MAX)) {
            return MAX;
        }
        return seq == Long.MAX_VALUE ? new HistorySerial(ms + 1, 0) : new HistorySerial(ms, seq + 1);
    }

    public HistorySerial previous() {
        if (seq > 0) {
            return new HistorySerial(ms, seq - 1);
        }
        return ms == 0 ? ZERO : new HistorySerial(ms - 1, Long.MAX_VALUE);
    }

    public static HistorySerial max(HistorySerial a, HistorySerial b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }

    public static HistorySerial min(HistorySerial a, HistorySerial b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public int compareTo(HistorySerial o) {
        int c = Long.compare(ms, o.ms);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
        return ms + "-" + seq;
    }
}
