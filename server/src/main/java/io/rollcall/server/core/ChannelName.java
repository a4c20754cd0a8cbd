package io.rollcall.server.core;

import io.rollcall.server.protocol.AblyException;

/**
 * Ably's channel name rules: any Unicode, but not empty, no line breaks or control characters, no leading ':' ','
 * space or '['.
 */
public final class ChannelName {
    public static final int MAX_LENGTH = 2048;

    private ChannelName() {}

    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid(name, "channel name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid(name, "channel name is longer than " + MAX_LENGTH + " characters");
        }
        char first = name.charAt(0);
        if (first == ':' || first == ',' || Character.isWhitespace(first)) {
            throw invalid(name, "channel name must not start with '" + first + "'");
        }
        if (first == '[' && !isQualified(name)) {
            throw invalid(name, "channel name must not start with '[' unless it is a qualifier such as [meta]");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                throw invalid(name, "channel name must not contain line breaks");
            }
            if (Character.isISOControl(c)) {
                // NUL and other control characters: invisible in logs and tools, and truncating in some.
                throw invalid(name, "channel name must not contain control characters (U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
        return name;
    }

    /** {@code [meta]name} and {@code [?params]name} style qualifiers; the name after it must be valid too. */
    private static boolean isQualified(String name) {
        int end = name.indexOf(']');
        return end > 1 && end < name.length() - 1 && name.charAt(end + 1) != '[';
    }

    private static AblyException invalid(String name, String why) {
        return new AblyException(40010, 400, "Invalid channel name: " + why);
    }
}
