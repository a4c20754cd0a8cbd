package io.rollcall.server.engine.redis;

import io.rollcall.server.core.ChannelKey;
import java.nio.charset.StandardCharsets;

/**
 * Where the Redis engine keeps things. App ids contain no ':' (they come from key names), so
 * {@code app:channel} is unambiguous even for channel names that contain colons.
 * <ul>
 *   <li>{@code rc:p:app:channel} hash: memberKey (connectionId:clientId) → encoded member</li>
 *   <li>{@code rc:o:app:channel} hash: nodeId → that node's occupancy share</li>
 *   <li>{@code rc:a:app} sorted set (all scores 0, so ordered by name): channels active on some node</li>
 *   <li>{@code rc:nodes} sorted set: nodeId → lease deadline (epoch ms)</li>
 *   <li>{@code rc:nc:nodeId} set: {@code app:channel} of every channel the node wrote state for</li>
 *   <li>{@code rc:reap:nodeId}: the claim of the node cleaning up after a dead one</li>
 *   <li>{@code rc:h:app:channel}, {@code rc:hp:app:channel} and {@code rc:ha:app:channel} streams: message,
 *       presence and annotation history</li>
 *   <li>pub/sub {@code rc:c:app:channel} per channel, and {@code rc:ctl} for node-wide notices</li>
 *   <li>{@code rc:wh:q:rule:shard} stream: webhook items waiting for delivery, one stream per rule and shard</li>
 *   <li>{@code rc:wh:s:rule}: the last serial given to an item of the rule</li>
 *   <li>{@code rc:wh:l:app:channel} hash: per rule, the last reading and lifecycle state recorded for the
 *   channel, and the reading still waiting (unattempted); gone once the channel is idle</li>
 *   <li>{@code rc:wh:own:rule:shard}: the node delivering that shard, with a lease's expiry</li>
 * </ul>
 */
final class RedisKeys {
    static final byte[] NODES = bytes("rc:nodes");
    static final byte[] CONTROL = bytes("rc:ctl");
    private static final String CHANNEL_PREFIX = "rc:c:";

    private RedisKeys() {}

    static String id(ChannelKey key) {
        return key.appId() + ':' + key.channel();
    }

    static ChannelKey parseId(String id) {
        int colon = id.indexOf(':');
        return new ChannelKey(id.substring(0, colon), id.substring(colon + 1));
    }

    static byte[] presence(ChannelKey key) {
        return bytes("rc:p:" + id(key));
    }

    static byte[] occupancy(ChannelKey key) {
        return bytes("rc:o:" + id(key));
    }

    static byte[] history(ChannelKey key, io.rollcall.server.core.MessageHistory.Kind kind) {
        String prefix = switch (kind) {
            case MESSAGES -> "rc:h:";
            case PRESENCE -> "rc:hp:";
            case ANNOTATIONS -> "rc:ha:";
        };
        return bytes(prefix + id(key));
    }

    static byte[] active(String appId) {
        return bytes("rc:a:" + appId);
    }

    static byte[] nodeChannels(String nodeId) {
        return bytes("rc:nc:" + nodeId);
    }

    static byte[] reapClaim(String nodeId) {
        return bytes("rc:reap:" + nodeId);
    }

    static byte[] webhookStream(String rule, int shard) {
        return bytes("rc:wh:q:" + rule + ':' + shard);
    }

    static byte[] webhookSerial(String rule) {
        return bytes("rc:wh:s:" + rule);
    }

    static final String WEBHOOK_LAST_PREFIX = "rc:wh:l:";

    static byte[] webhookLast(ChannelKey key) {
        return bytes(WEBHOOK_LAST_PREFIX + id(key));
    }

    static byte[] webhookOwner(String rule, int shard) {
        return bytes("rc:wh:own:" + rule + ':' + shard);
    }

    static byte[] pubsub(ChannelKey key) {
        return bytes(CHANNEL_PREFIX + id(key));
    }

    /** The channel of a pub/sub channel name, or null for one that is not a channel's. */
    static ChannelKey fromPubsub(byte[] name) {
        String s = new String(name, StandardCharsets.UTF_8);
        return s.startsWith(CHANNEL_PREFIX) ? parseId(s.substring(CHANNEL_PREFIX.length())) : null;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
