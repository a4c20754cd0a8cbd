package io.rollcall.server.auth;

/**
 * Ably's resource-name wildcards, compiled once per capability entry:
 * {@code *} matches every channel name without a {@code [qualifier]};
 * {@code prefix:*} (any text ending in {@code *}) matches names starting with that text;
 * {@code [*]*} matches every channel, qualified or not; {@code [meta]*} every {@code [meta]} channel;
 * anything else matches exactly.
 */
public final class CapabilityMatcher {
    private final String pattern;
    private final boolean anyQualified;
    private final String prefix;

    public CapabilityMatcher(String pattern) {
        this.pattern = pattern;
        this.anyQualified = pattern.equals("[*]*");
        this.prefix = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : null;
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String channel) {
        if (anyQualified) {
            return true;
        }
        if (prefix == null) {
            return pattern.equals(channel);
        }
        if (prefix.isEmpty()) {
            // A bare '*' does not reach qualified channels such as [meta]... (that takes [*]* or [meta]*).
            return !channel.startsWith("[");
        }
        return channel.startsWith(prefix);
    }
}
