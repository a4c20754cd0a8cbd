package io.rollcall.server.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits applied to token requests (PROTOCOL.md 1.3, Ably's TokenRequest rules): how far a request's timestamp
 * may be from the server's clock, the token lifetime when none is asked for and the most that may be asked for,
 * and how many nonces are remembered to refuse replays.
 */
public record TokenPolicy(Duration timestampWindow, Duration defaultTtl, Duration maxTtl, int maxNonces) {

    public TokenPolicy {
        Objects.requireNonNull(timestampWindow, "timestampWindow");
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        if (timestampWindow.isNegative() || timestampWindow.isZero()) {
            throw new IllegalArgumentException("timestampWindow must be positive");
        }
        if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("need 0 < defaultTtl <= maxTtl");
        }
        if (maxNonces < 1) {
            throw new IllegalArgumentException("maxNonces must be at least 1");
        }
    }

    /** Ably's: ±2 minutes, 60 minute default, 24 hour maximum; 100,000 remembered nonces. */
    public static TokenPolicy defaults() {
        return new TokenPolicy(Duration.ofMinutes(2), Duration.ofMinutes(60), Duration.ofHours(24), 100_000);
    }
}
