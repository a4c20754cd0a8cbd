package io.rollcall.server.config;

/** Sets one {@link Limits} field by its name, from a config file, a flag or an environment variable. */
public final class LimitSetting {
    private LimitSetting() {}

    public static void apply(Limits.Builder b, String name, String value, String source) {
        try {
            switch (name) {
                case "maxMessageSize" -> b.maxMessageSize(Integer.parseInt(value));
                case "maxFrameSize" -> b.maxFrameSize(Integer.parseInt(value));
                case "maxInboundRate" -> b.maxInboundRate(Integer.parseInt(value));
                case "connectionStateTtl" -> b.connectionStateTtl(ConfigFile.duration(value));
                case "maxIdleInterval" -> b.maxIdleInterval(ConfigFile.duration(value));
                case "presenceGrace" -> b.presenceGrace(ConfigFile.duration(value));
                case "outboundQueueMessages" -> b.outboundQueueMessages(Integer.parseInt(value));
                case "resumeBufferMessages" -> b.resumeBufferMessages(Integer.parseInt(value));
                case "maxPresenceMembers" -> b.maxPresenceMembers(Integer.parseInt(value));
                case "maxPresenceDataSize" -> b.maxPresenceDataSize(Integer.parseInt(value));
                case "syncPageSize" -> b.syncPageSize(Integer.parseInt(value));
                case "occupancyInterval" -> b.occupancyInterval(ConfigFile.duration(value));
                case "maxChannelsPerConnection" -> b.maxChannelsPerConnection(Integer.parseInt(value));
                case "tokenRenewalNotice" -> b.tokenRenewalNotice(ConfigFile.duration(value));
                case "maxRestBodySize" -> b.maxRestBodySize(Integer.parseInt(value));
                case "channelRetention" -> b.channelRetention(ConfigFile.duration(value));
                case "replayMessages" -> b.replayMessages(Integer.parseInt(value));
                case "nodeLease" -> b.nodeLease(ConfigFile.duration(value));
                case "redisCommandQueue" -> b.redisCommandQueue(Integer.parseInt(value));
                case "redisCommandTimeout" -> b.redisCommandTimeout(ConfigFile.duration(value));
                case "redisReconnectMax" -> b.redisReconnectMax(ConfigFile.duration(value));
                case "outcomeMemory" -> b.outcomeMemory(Integer.parseInt(value));
                case "maxPresenceMembersPerConnection" -> b.maxPresenceMembersPerConnection(Integer.parseInt(value));
                case "httpRequestTimeout" -> b.httpRequestTimeout(ConfigFile.duration(value));
                case "maxPendingConnections" -> b.maxPendingConnections(Integer.parseInt(value));
                case "maxPendingConnectionsPerAddress" -> b.maxPendingConnectionsPerAddress(Integer.parseInt(value));
                case "historyRetention" -> b.historyRetention(ConfigFile.duration(value));
                case "historyMaxMessages" -> b.historyMaxMessages(Integer.parseInt(value));
                case "webhookQueueItems" -> b.webhookQueueItems(Integer.parseInt(value));
                case "webhookSpoolWrites" -> b.webhookSpoolWrites(Integer.parseInt(value));
                case "maxReactionsPerMessage" -> b.maxReactionsPerMessage(Integer.parseInt(value));
                case "maxBatchChannels" -> b.maxBatchChannels(Integer.parseInt(value));
                case "presenceBatchMessages" -> b.presenceBatchMessages(Integer.parseInt(value));
                default -> throw new IllegalArgumentException(source + ": unknown limit '" + name + "'");
            }
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(source + ": invalid value '" + value + "' for limit " + name);
        }
    }
}
