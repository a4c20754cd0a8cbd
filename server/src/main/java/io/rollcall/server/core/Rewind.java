package io.rollcall.server.core;

import io.rollcall.server.protocol.AblyException;

/**
 * The {@code rewind} channel param: a number of messages ({@code "10"}) or a time span ({@code "30s"},
 * {@code "1m"}, {@code "2h"}), delivered from history right after ATTACHED. As with Ably, at most
 * {@link #MAX_MESSAGES} messages either way.
 */
public record Rewind(int count, long millis) {
    public static final int MAX_MESSAGES = 100;

    /** Null for no param; throws 40000 for one that is neither form. */
    public static Rewind parse(String param) {
        if (param == null) {
            return null;
        }
        String p = param.trim();
        try {
            if (!p.isEmpty() && Character.isDigit(p.charAt(p.length() - 1))) {
                int n = Integer.parseInt(p);
                if (n >= 0) {
                    return new Rewind(Math.min(n, MAX_MESSAGES), 0);
                }
            } else if (p.length() > 1) {
                long n = Long.parseLong(p.substring(0, p.length() - 1));
                long unit = switch (p.charAt(p.length() - 1)) {
                    case 's' -> 1_000L;
                    case 'm' -> 60_000L;
                    case 'h' -> 3_600_000L;
                    default -> -1;
                };
                if (n >= 0 && unit > 0 && n <= Long.MAX_VALUE / unit) {
                    return new Rewind(MAX_MESSAGES, n * unit);
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new AblyException(40000, 400, "Invalid rewind param '" + param
                + "': expected a number of messages (e.g. \"10\") or a time span (e.g. \"30s\", \"1m\", \"2h\")");
    }

    public boolean isNone() {
        return count == 0;
    }
}
