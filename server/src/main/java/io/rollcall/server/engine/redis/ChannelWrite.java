package io.rollcall.server.engine.redis;

import io.rollcall.server.core.ChannelKey;
import java.util.ArrayList;
import java.util.List;

/**
 * One atomic change to a channel's state in Redis, run as a single Lua script: optionally drop every member
 * of one node, set or delete members and occupancy shares, keep the active-channel index and the node's
 * channel set right, and publish an envelope, all at once. Because the write and its notice are one step,
 * a node that reads the state after subscribing misses nothing and sees nothing twice (see Channel.seed).
 * Redis runs one script at a time, so exactly one write sees the channel's activity flip: its node reports it.
 */
final class ChannelWrite {
    static final String SCRIPT = """
            local p, o = KEYS[1], KEYS[2]
            if ARGV[5] ~= '' then
              for _, f in ipairs(redis.call('HKEYS', p)) do
                if string.sub(f, 1, #ARGV[5]) == ARGV[5] then redis.call('HDEL', p, f) end
              end
            end
            for i = 6, #ARGV, 3 do
              local op = ARGV[i]
              if op == 'ps' then redis.call('HSET', p, ARGV[i + 1], ARGV[i + 2])
              elseif op == 'pd' then redis.call('HDEL', p, ARGV[i + 1])
              elseif op == 'os' then redis.call('HSET', o, ARGV[i + 1], ARGV[i + 2])
              else redis.call('HDEL', o, ARGV[i + 1]) end
            end
            if ARGV[4] ~= '' then redis.call('SADD', KEYS[4], ARGV[4]) end
            local flip = 0
            if redis.call('EXISTS', p) + redis.call('EXISTS', o) > 0 then
              if redis.call('ZADD', KEYS[3], 0, ARGV[3]) == 1 then flip = 1 end
            else
              if redis.call('ZREM', KEYS[3], ARGV[3]) == 1 then flip = 2 end
            end
            if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
            return flip
            """;
    /** What the script answers: the channel's activity across all nodes did not change, began, or ended. */
    static final long UNCHANGED = 0;
    static final long BECAME_ACTIVE = 1;
    static final long BECAME_IDLE = 2;
    private static final byte[] EMPTY = new byte[0];

    private final ChannelKey channel;
    private final String nodeId;
    private byte[] clearNode = EMPTY;
    private byte[] envelope;
    private boolean recordForNode = true;
    private final List<byte[]> ops = new ArrayList<>();

    ChannelWrite(ChannelKey channel, String nodeId) {
        this.channel = channel;
        this.nodeId = nodeId;
    }

    /** First removes every member whose connectionId starts with this node id. */
    ChannelWrite clearMembersOf(String node) {
        clearNode = RedisKeys.bytes(node);
        return this;
    }

    ChannelWrite setMember(String memberKey, byte[] encoded) {
        return op("ps", RedisKeys.bytes(memberKey), encoded);
    }

    ChannelWrite deleteMember(String memberKey) {
        return op("pd", RedisKeys.bytes(memberKey), EMPTY);
    }

    ChannelWrite setShare(String node, String share) {
        return op("os", RedisKeys.bytes(node), RedisKeys.bytes(share));
    }

    ChannelWrite deleteShare(String node) {
        return op("od", RedisKeys.bytes(node), EMPTY);
    }

    ChannelWrite publish(Envelope e) {
        envelope = e.encode();
        return this;
    }

    /** Cleaning up after another node: this node's channel set is not the place to note it. */
    ChannelWrite notForThisNode() {
        recordForNode = false;
        return this;
    }

    private ChannelWrite op(String op, byte[] field, byte[] value) {
        ops.add(RedisKeys.bytes(op));
        ops.add(field);
        ops.add(value);
        return this;
    }

    ChannelKey channel() {
        return channel;
    }

    byte[][] keys() {
        return new byte[][] {RedisKeys.presence(channel), RedisKeys.occupancy(channel),
                RedisKeys.active(channel.appId()), RedisKeys.nodeChannels(nodeId)};
    }

    byte[][] args() {
        List<byte[]> args = new ArrayList<>(5 + ops.size());
        args.add(envelope == null ? EMPTY : RedisKeys.pubsub(channel));
        args.add(envelope == null ? EMPTY : envelope);
        args.add(RedisKeys.bytes(channel.channel()));
        args.add(recordForNode ? RedisKeys.bytes(RedisKeys.id(channel)) : EMPTY);
        args.add(clearNode);
        args.addAll(ops);
        return args.toArray(byte[][]::new);
    }
}
