package io.rollcall.server.core;

/**
 * Token bucket for a connection's inbound protocol messages: {@code ratePerSecond} sustained with a burst of
 * one second's worth. Used by one thread at a time (the connection's event loop).
 */
final class InboundRate {
    private final double ratePerMs;
    private final double burst;
    private double tokens;
    private long last;

    InboundRate(int ratePerSecond, long nowMs) {
        this.ratePerMs = ratePerSecond / 1000.0;
        this.burst = ratePerSecond;
        this.tokens = burst;
        this.last = nowMs;
    }

    boolean tryAcquire(long nowMs) {
        if (nowMs > last) {
            tokens = Math.min(burst, tokens + (nowMs - last) * ratePerMs);
            last = nowMs;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
