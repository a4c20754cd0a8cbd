package io.rollcall.server.config;

import java.time.Duration;

/**
 * Every bound and delay the server enforces, with the defaults documented in the README. Immutable; build
 * with {@link #builder()}. Tests shorten the delays; production keeps Ably's values.
 */
public record Limits(
        int maxMessageSize,
        int maxFrameSize,
        int maxInboundRate,
        Duration connectionStateTtl,
        Duration maxIdleInterval,
        Duration presenceGrace,
        int outboundQueueMessages,
        int resumeBufferMessages,
        int maxPresenceMembers,
        int maxPresenceDataSize,
        int syncPageSize,
        Duration occupancyInterval,
        int maxChannelsPerConnection,
        Duration tokenRenewalNotice,
        int maxRestBodySize,
        Duration channelRetention,
        int replayMessages,
        Duration nodeLease,
        int redisCommandQueue,
        Duration redisCommandTimeout,
        Duration redisReconnectMax,
        int outcomeMemory,
        int maxPresenceMembersPerConnection,
        Duration httpRequestTimeout,
        int maxPendingConnections,
        int maxPendingConnectionsPerAddress,
        Duration historyRetention,
        int historyMaxMessages,
        int maxReactionsPerMessage,
        int webhookQueueItems,
        int webhookSpoolWrites,
        int maxBatchChannels,
        int presenceBatchMessages) {

    public static Builder builder() {
        return new Builder();
    }

    public static Limits defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static final class Builder {
        private int maxMessageSize = 65_536;
        private int maxFrameSize = 524_288;
        private int maxInboundRate = 250;
        private Duration connectionStateTtl = Duration.ofMinutes(2);
        private Duration maxIdleInterval = Duration.ofSeconds(15);
        private Duration presenceGrace = Duration.ofSeconds(15);
        private int outboundQueueMessages = 10_000;
        private int resumeBufferMessages = 1_000;
        private int maxPresenceMembers = 20_000;
        private int maxPresenceDataSize = 65_536;
        private int syncPageSize = 500;
        private Duration occupancyInterval = Duration.ofSeconds(1);
        private int maxChannelsPerConnection = 1_000;
        private Duration tokenRenewalNotice = Duration.ofSeconds(30);
        private int maxRestBodySize = 524_288;
        private Duration channelRetention = Duration.ofSeconds(30);
        private int replayMessages = 100;
        private Duration nodeLease = Duration.ofSeconds(10);
        private int redisCommandQueue = 100_000;
        private Duration redisCommandTimeout = Duration.ofSeconds(5);
        private Duration redisReconnectMax = Duration.ofSeconds(1);
        private int outcomeMemory = 1_000;
        private int maxPresenceMembersPerConnection = 20_000;
        private Duration httpRequestTimeout = Duration.ofSeconds(10);
        private int maxPendingConnections = 10_000;
        private int maxPendingConnectionsPerAddress = 1_000;
        private Duration historyRetention = Duration.ofMinutes(2);
        private int historyMaxMessages = 1_000;
        private int maxReactionsPerMessage = 1_000;
        private int webhookQueueItems = 100_000;
        private int webhookSpoolWrites = 10_000;
        private int maxBatchChannels = 100;
        private int presenceBatchMessages = 100;

        Builder() {}

        Builder(Limits l) {
            maxMessageSize = l.maxMessageSize;
            maxFrameSize = l.maxFrameSize;
            maxInboundRate = l.maxInboundRate;
            connectionStateTtl = l.connectionStateTtl;
            maxIdleInterval = l.maxIdleInterval;
            presenceGrace = l.presenceGrace;
            outboundQueueMessages = l.outboundQueueMessages;
            resumeBufferMessages = l.resumeBufferMessages;
            maxPresenceMembers = l.maxPresenceMembers;
            maxPresenceDataSize = l.maxPresenceDataSize;
            syncPageSize = l.syncPageSize;
            occupancyInterval = l.occupancyInterval;
            maxChannelsPerConnection = l.maxChannelsPerConnection;
            tokenRenewalNotice = l.tokenRenewalNotice;
            maxRestBodySize = l.maxRestBodySize;
            channelRetention = l.channelRetention;
            replayMessages = l.replayMessages;
            nodeLease = l.nodeLease;
            redisCommandQueue = l.redisCommandQueue;
            redisCommandTimeout = l.redisCommandTimeout;
            redisReconnectMax = l.redisReconnectMax;
            outcomeMemory = l.outcomeMemory;
            maxPresenceMembersPerConnection = l.maxPresenceMembersPerConnection;
            httpRequestTimeout = l.httpRequestTimeout;
            maxPendingConnections = l.maxPendingConnections;
            maxPendingConnectionsPerAddress = l.maxPendingConnectionsPerAddress;
            historyRetention = l.historyRetention;
            historyMaxMessages = l.historyMaxMessages;
            maxReactionsPerMessage = l.maxReactionsPerMessage;
            webhookQueueItems = l.webhookQueueItems;
            webhookSpoolWrites = l.webhookSpoolWrites;
            maxBatchChannels = l.maxBatchChannels;
            presenceBatchMessages = l.presenceBatchMessages;
        }

        public Builder maxMessageSize(int v) { maxMessageSize = positive(v, "maxMessageSize"); return this; }
        public Builder maxFrameSize(int v) { maxFrameSize = positive(v, "maxFrameSize"); return this; }
        public Builder maxInboundRate(int v) { maxInboundRate = positive(v, "maxInboundRate"); return this; }
        public Builder connectionStateTtl(Duration v) { connectionStateTtl = v; return this; }
        public Builder maxIdleInterval(Duration v) { maxIdleInterval = v; return this; }
        public Builder presenceGrace(Duration v) { presenceGrace = v; return this; }
        public Builder outboundQueueMessages(int v) { outboundQueueMessages = positive(v, "outboundQueueMessages"); return this; }
        public Builder resumeBufferMessages(int v) { resumeBufferMessages = positive(v, "resumeBufferMessages"); return this; }
        public Builder maxPresenceMembers(int v) { maxPresenceMembers = positive(v, "maxPresenceMembers"); return this; }
        public Builder maxPresenceDataSize(int v) { maxPresenceDataSize = positive(v, "maxPresenceDataSize"); return this; }
        public Builder syncPageSize(int v) { syncPageSize = positive(v, "syncPageSize"); return this; }
        public Builder occupancyInterval(Duration v) { occupancyInterval = v; return this; }
        public Builder maxChannelsPerConnection(int v) { maxChannelsPerConnection = positive(v, "maxChannelsPerConnection"); return this; }
        public Builder tokenRenewalNotice(Duration v) { tokenRenewalNotice = v; return this; }
        public Builder maxRestBodySize(int v) { maxRestBodySize = positive(v, "maxRestBodySize"); return this; }
        public Builder channelRetention(Duration v) { channelRetention = v; return this; }
        public Builder replayMessages(int v) { replayMessages = positive(v, "replayMessages"); return this; }

        public Builder nodeLease(Duration v) { nodeLease = v; return this; }
        public Builder redisCommandQueue(int v) { redisCommandQueue = positive(v, "redisCommandQueue"); return this; }
        public Builder redisCommandTimeout(Duration v) { redisCommandTimeout = v; return this; }
        public Builder redisReconnectMax(Duration v) { redisReconnectMax = v; return this; }
        public Builder outcomeMemory(int v) { outcomeMemory = positive(v, "outcomeMemory"); return this; }
        public Builder maxPresenceMembersPerConnection(int v) { maxPresenceMembersPerConnection = positive(v, "maxPresenceMembersPerConnection"); return this; }
        public Builder httpRequestTimeout(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("httpRequestTimeout must be positive, was " + v);
            }
            httpRequestTimeout = v;
            return this;
        }
        public Builder maxPendingConnections(int v) { maxPendingConnections = positive(v, "maxPendingConnections"); return this; }
        public Builder maxPendingConnectionsPerAddress(int v) { maxPendingConnectionsPerAddress = positive(v, "maxPendingConnectionsPerAddress"); return this; }
        public Builder historyRetention(Duration v) { historyRetention = v; return this; }
        public Builder historyMaxMessages(int v) { historyMaxMessages = positive(v, "historyMaxMessages"); return this; }
        public Builder maxReactionsPerMessage(int v) { maxReactionsPerMessage = positive(v, "maxReactionsPerMessage"); return this; }
        /** Items one webhook rule may have waiting, split evenly over its shards (at least one each). */
        public Builder webhookQueueItems(int v) { webhookQueueItems = positive(v, "webhookQueueItems"); return this; }
        /** Cluster: writes carrying webhook items kept on a node while Redis is away. */
        public Builder webhookSpoolWrites(int v) { webhookSpoolWrites = positive(v, "webhookSpoolWrites"); return this; }
        public Builder maxBatchChannels(int v) { maxBatchChannels = positive(v, "maxBatchChannels"); return this; }
        /** Presence events of one channel sent together in one PRESENCE message, at most (1: never batched). */
        public Builder presenceBatchMessages(int v) { presenceBatchMessages = positive(v, "presenceBatchMessages"); return this; }

        public Limits build() {
            if (maxMessageSize > maxFrameSize) {
                throw new IllegalArgumentException("maxMessageSize must not exceed maxFrameSize");
            }
            return new Limits(maxMessageSize, maxFrameSize, maxInboundRate, connectionStateTtl, maxIdleInterval,
                    presenceGrace, outboundQueueMessages, resumeBufferMessages, maxPresenceMembers,
                    maxPresenceDataSize, syncPageSize, occupancyInterval, maxChannelsPerConnection,
                    tokenRenewalNotice, maxRestBodySize, channelRetention, replayMessages, nodeLease,
                    redisCommandQueue, redisCommandTimeout, redisReconnectMax, outcomeMemory,
                    maxPresenceMembersPerConnection, httpRequestTimeout, maxPendingConnections,
                    maxPendingConnectionsPerAddress, historyRetention, historyMaxMessages, maxReactionsPerMessage,
                    webhookQueueItems, webhookSpoolWrites, maxBatchChannels, presenceBatchMessages);
        }

        private static int positive(int v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + v);
            }
            return v;
        }
    }
}
