package io.rollcall.server.engine.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node reaches Redis and how it judges other nodes. {@code uri} takes Lettuce's forms:
 * {@code redis://[user:password@]host:port[/database]}, {@code rediss://} for TLS,
 * {@code redis-sentinel://host:port[,host:port]/database#masterName} for Sentinel.
 */
public record RedisSettings(String uri, Duration nodeLease, int commandQueue, Duration commandTimeout,
                            Duration maxReconnectDelay) {
    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        if (nodeLease.toMillis() < 150) {
            throw new IllegalArgumentException("nodeLease must be at least 150 ms, was " + nodeLease.toMillis());
        }
        if (commandQueue <= 0) {
            throw new IllegalArgumentException("redisCommandQueue must be positive");
        }
    }
}
