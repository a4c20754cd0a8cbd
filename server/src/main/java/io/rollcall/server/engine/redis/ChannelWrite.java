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
 * Webhook items are recorded in the same step (see {@link #webhooks}), so they are exactly as durable as the
 * change they report, and in its order. The script answers {flip, rule of each item dropped past the bound...}.
 */
final class ChannelWrite {
    static final String SCRIPT = """
            local p, o = KEYS[1], KEYS[2]
            local w, b = tonumber(ARGV[7]), tonumber(ARGV[8])
            local specs = 14
            local blobs = specs + 4 * w
            local ops = blobs + b
            local cleared, had, restored = {}, {}, {}
            if ARGV[5] ~= '' then
              local all = redis.call('HGETALL', p)
              for i = 1, #all, 2 do
                if string.sub(all[i], 1, #ARGV[5]) == ARGV[5] then
                  redis.call('HDEL', p, all[i])
                  cleared[#cleared + 1] = all[i + 1]
                  had[all[i]] = true
                end
              end
            end
            for i = ops, #ARGV, 3 do
              local op = ARGV[i]
              if op == 'ps' then
                if ARGV[13] == '1' and not had[ARGV[i + 1]] then restored[#restored + 1] = ARGV[i + 2] end
                redis.call('HSET', p, ARGV[i + 1], ARGV[i + 2])
              elseif op == 'pd' then redis.call('HDEL', p, ARGV[i + 1])
              elseif op == 'os' then redis.call('HSET', o, ARGV[i + 1], ARGV[i + 2])
              else redis.call('HDEL', o, ARGV[i + 1]) end
            end
            if ARGV[4] ~= '' then redis.call('SADD', KEYS[4], ARGV[4]) end
            local active = redis.call('EXISTS', p) + redis.call('EXISTS', o) > 0
            local flip = 0
            if active then
              if redis.call('ZADD', KEYS[3], 0, ARGV[3]) == 1 then flip = 1 end
            elseif redis.call('ZREM', KEYS[3], ARGV[3]) == 1 then flip = 2 end
            local result = {flip}
            if w > 0 then
              local last, cid, maxlen, force = ARGV[6], ARGV[9], tonumber(ARGV[10]), ARGV[11] == '1'
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local ms = string.format('%.0f', math.floor(now / 1000))
              local reading
              local function read()
                if not reading then
                  local sum = {0, 0, 0, 0, 0, 0, 0}
                  for _, v in ipairs(redis.call('HVALS', o)) do
                    local k = 1
                    for n in string.gmatch(v, '[^,]+') do sum[k] = sum[k] + tonumber(n); k = k + 1 end
                  end
                  reading = table.concat({sum[1], sum[2], sum[3], sum[4], redis.call('HLEN', p), sum[5], sum[6], sum[7]}, ',')
                end
                return reading
              end
              local function append(rule, stream, serials, kind, data)
                local s = string.format('%.0f', math.max(tonumber(redis.call('GET', serials) or '0') + 1, now))
                redis.call('SET', serials, s)
                if redis.call('XLEN', stream) >= maxlen then
                  local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
                  if oldest[1] then
                    redis.call('XDEL', stream, oldest[1][1])
                    result[#result + 1] = rule
                  end
                end
                return redis.call('XADD', stream, '*', 'i', redis.sha1hex(rule .. '\\n' .. cid .. '\\n' .. s), 's', s,
                  't', ms, 'c', cid, 'k', kind, 'd', data)
              end
              for j = specs, blobs - 1, 4 do
                local rule, kind, stream, serials = ARGV[j], ARGV[j + 1], ARGV[j + 2], ARGV[j + 3]
                if kind == 'P' then
                  for k = blobs, ops - 1 do append(rule, stream, serials, 'P', ARGV[k]) end
                  if ARGV[12] == '1' then
                    for _, m in ipairs(cleared) do append(rule, stream, serials, 'L', m) end
                  end
                  for _, m in ipairs(restored) do append(rule, stream, serials, 'E', m) end
                elseif kind == 'O' then
                  local rf, wf = rule .. '\\nr', rule .. '\\nw'
                  local was = redis.call('HGET', last, rf)
                  -- An idle channel with no reading on record has nothing new to tell (unless forced).
                  if force or (was ~= read() and (active or was)) then
                    local waiting = redis.call('HGET', last, wf)
                    if waiting then redis.call('XDEL', stream, waiting) end
                    local id = append(rule, stream, serials, active and 'O' or 'o', read())
                    redis.call('HSET', last, rf, read(), wf, id)
                  end
                else
                  local af = rule .. '\\na'
                  local was = redis.call('HGET', last, af) == '1'
                  if active ~= was or (force and not active) then
                    append(rule, stream, serials, active and 'A' or 'Z', active and read() or '0,0,0,0,0,0,0,0')
                    redis.call('HSET', last, af, active and '1' or '0')
                  end
                end
              end
              if not active then redis.call('DEL', last) end
            end
            if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
            return result
            """;
    /** What the script answers: the channel's activity across all nodes did not change, began, or ended. */
    static final long UNCHANGED = 0;
    static final long BECAME_ACTIVE = 1;
    static final long BECAME_IDLE = 2;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ONE = {'1'};

    private final ChannelKey channel;
    private final String nodeId;
    private byte[] clearNode = EMPTY;
    private byte[] envelope;
    private boolean recordForNode = true;
    private final List<byte[]> ops = new ArrayList<>();
    private List<Spec> webhooks = List.of();
    private final List<byte[]> presenceItems = new ArrayList<>(1);
    private boolean leavesForCleared;
    private boolean presentForRestored;
    private boolean forceReport;

    /** A webhook stream this write records into: its rule, kind (P, O or C), stream shard key and serial key. */
    record Spec(String rule, char kind, byte[] stream, byte[] serials) {}

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

    /**
     * Records webhook items into these streams in the same step: presence items given to {@link #presenceItem},
     * and occupancy and lifecycle readings of the channel's state after the write, where it differs from the
     * last one recorded (so readings follow the state's own order, whichever node writes).
     */
    ChannelWrite webhooks(List<Spec> specs) {
        webhooks = specs;
        return this;
    }

    /** One presence item: the events (encoded as by {@link Envelope#members}). */
    ChannelWrite presenceItem(byte[] events) {
        presenceItems.add(events);
        return this;
    }

    /** Each member removed by {@link #clearMembersOf} becomes a synthesized LEAVE item. */
    ChannelWrite recordLeaves() {
        leavesForCleared = true;
        return this;
    }

    /**
     * Each member set that Redis did not have (it lost it in a restart, or the node was taken for dead and
     * reaped) becomes a PRESENT item: receivers that applied its LEAVE, or never heard of it, have it again.
     */
    ChannelWrite recordRestored() {
        presentForRestored = true;
        return this;
    }

    /** Records the readings even if unchanged (a closing one even if the channel was not known open). */
    ChannelWrite forceReport() {
        forceReport = true;
        return this;
    }

    boolean hasPresenceItems() {
        return !presenceItems.isEmpty();
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

    /** {@code shardBound}: items one webhook shard may hold (older ones are dropped by the script). */
    byte[][] args(int shardBound) {
        List<byte[]> args = new ArrayList<>(5 + ops.size());
        args.add(envelope == null ? EMPTY : RedisKeys.pubsub(channel));
        args.add(envelope == null ? EMPTY : envelope);
        args.add(RedisKeys.bytes(channel.channel()));
        args.add(recordForNode ? RedisKeys.bytes(RedisKeys.id(channel)) : EMPTY);
        args.add(clearNode);
        args.add(RedisKeys.webhookLast(channel));
        args.add(RedisKeys.bytes(Integer.toString(webhooks.size())));
        args.add(RedisKeys.bytes(Integer.toString(presenceItems.size())));
        args.add(RedisKeys.bytes(RedisKeys.id(channel)));
        args.add(RedisKeys.bytes(Integer.toString(shardBound)));
        args.add(forceReport ? ONE : EMPTY);
        args.add(leavesForCleared ? ONE : EMPTY);
        args.add(presentForRestored ? ONE : EMPTY);
        for (Spec w : webhooks) {
            args.add(RedisKeys.bytes(w.rule()));
            args.add(new byte[] {(byte) w.kind()});
            args.add(w.stream());
            args.add(w.serials());
        }
        args.addAll(presenceItems);
        args.addAll(ops);
        return args.toArray(byte[][]::new);
    }
}
