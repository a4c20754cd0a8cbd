package io.rollcall.server.engine.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.rollcall.server.core.Channel;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Outbox;
import io.rollcall.server.protocol.PresenceMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster outbox: one Redis stream per rule and shard. Items are written by {@link ChannelWrite} together
 * with the change they report (presence events, synthesized leaves of a reaped node, readings of the channel's
 * state as Redis holds it), so they outlive the node that made them. Each shard is delivered by the node
 * holding its lease ({@code rc:wh:own:rule:shard}, renewed every third of a node lease); when that node dies,
 * another takes the lease once it runs out and goes on from the oldest undelivered item.
 */
final class RedisOutbox implements Outbox {
    /** Takes the leases that are free, renews this node's; answers the (1-based) indexes of those it holds. */
    private static final String OWN = """
            local out = {}
            for i, k in ipairs(KEYS) do
              local v = redis.call('GET', k)
              if v == ARGV[1] then
                redis.call('PEXPIRE', k, ARGV[2])
                out[#out + 1] = i
              elseif not v then
                redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
                out[#out + 1] = i
              end
            end
            return out
            """;
    /** Gives up this node's leases (leaving gracefully), so another node takes them at once. */
    private static final String RELEASE = """
            for _, k in ipairs(KEYS) do
              if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
            end
            return 0
            """;
    /** The oldest items of a shard; a waiting reading claimed is attempted from now on, never replaced. */
    private static final String CLAIM = """
            local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1])
            for _, e in ipairs(entries) do
              local f = e[2]
              local kind, cid
              for i = 1, #f, 2 do
                if f[i] == 'k' then kind = f[i + 1] elseif f[i] == 'c' then cid = f[i + 1] end
              end
              if kind == 'O' or kind == 'o' then
                local last, wf = ARGV[2] .. cid, ARGV[3] .. '\\nw'
                if redis.call('HGET', last, wf) == e[1] then redis.call('HDEL', last, wf) end
              end
            end
            return {entries, redis.call('XLEN', KEYS[1])}
            """;

    private final RedisBroker broker;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final String nodeId;
    private final long leaseMs;
    private final List<Consumer<String>> dropListeners = new CopyOnWriteArrayList<>();
    private volatile List<Stream> streams = List.of();
    /** "rule\nshard" of each shard this node delivers. */
    private volatile Set<String> owned = Set.of();
    /** Set while this node publishes a channel's presence: the broker records those events itself. */
    final ThreadLocal<ChannelKey> publishing = new ThreadLocal<>();

    RedisOutbox(RedisBroker broker, RedisAsyncCommands<byte[], byte[]> redis, String nodeId, long leaseMs) {
        this.broker = broker;
        this.redis = redis;
        this.nodeId = nodeId;
        this.leaseMs = leaseMs;
    }

    /** New rules' shards are taken at once, not at the next lease tick. */
    @Override
    public void streams(List<Stream> next) {
        streams = List.copyOf(next);
        leaseTick();
    }

    @Override
    public void onDropped(Consumer<String> listener) {
        dropListeners.add(listener);
    }

    void dropped(String rule) {
        dropListeners.forEach(l -> l.accept(rule));
    }

    /** The streams a write to this channel records into. */
    List<ChannelWrite.Spec> specs(ChannelKey channel) {
        List<ChannelWrite.Spec> out = List.of();
        int shard = Outbox.shard(channel);
        for (Stream s : streams) {
            if (s.matches().test(channel.appId(), channel.channel())) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                char kind = switch (s.source()) {
                    case PRESENCE -> 'P';
                    case OCCUPANCY -> 'O';
                    case LIFECYCLE -> 'C';
                };
                out.add(new ChannelWrite.Spec(s.id(), kind, RedisKeys.webhookStream(s.id(), shard), RedisKeys.webhookSerial(s.id())));
            }
        }
        return out;
    }

    @Override
    public void presence(ChannelKey channel, List<PresenceMessage> events) {
        if (channel.equals(publishing.get())) {
            return; // in the broker's own write of these events
        }
        // Members found gone by a re-read: no state changes in Redis (it no longer has them), only the items.
        broker.recordPresence(channel, events);
    }

    /** Readings come from the state in Redis, with each write (see {@link ChannelWrite#webhooks}). */
    @Override
    public void occupancy(ChannelKey channel, OccupancyMetrics.Snapshot reading) {
    }

    @Override
    public void lifecycle(ChannelKey channel, boolean active, OccupancyMetrics.Snapshot reading) {
    }

    @Override
    public boolean owns(String stream, int shard) {
        return owned.contains(stream + '\n' + shard);
    }

    private List<String> shardNames() {
        List<String> names = new ArrayList<>();
        for (Stream s : streams) {
            for (int shard = 0; shard < SHARDS; shard++) {
                names.add(s.id() + '\n' + shard);
            }
        }
        return names;
    }

    private static byte[] ownerKey(String name) {
        int nl = name.lastIndexOf('\n');
        return RedisKeys.webhookOwner(name.substring(0, nl), Integer.parseInt(name.substring(nl + 1)));
    }

    /** Takes free shards and renews this node's, every third of a lease; on any failure this node delivers nothing. */
    void leaseTick() {
        List<String> names = shardNames();
        if (names.isEmpty()) {
            owned = Set.of();
            return;
        }
        byte[][] keys = names.stream().map(RedisOutbox::ownerKey).toArray(byte[][]::new);
        redis.<List<Object>>eval(OWN, ScriptOutputType.MULTI, keys, RedisKeys.bytes(nodeId), RedisKeys.bytes(Long.toString(leaseMs)))
                .toCompletableFuture().whenComplete((held, e) -> {
                    if (e != null) {
                        owned = Set.of();
                        return;
                    }
                    Set<String> now = new HashSet<>();
                    for (Object i : held) {
                        now.add(names.get(((Long) i).intValue() - 1));
                    }
                    owned = Set.copyOf(now);
                });
    }

    /** Nothing is delivered from here once the node stops; it lets the shards go at once. */
    CompletableFuture<?> release() {
        List<String> names = shardNames();
        owned = Set.of();
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[][] keys = names.stream().map(RedisOutbox::ownerKey).toArray(byte[][]::new);
        return redis.<Long>eval(RELEASE, ScriptOutputType.INTEGER, keys, RedisKeys.bytes(nodeId)).toCompletableFuture();
    }

    void lost() {
        owned = Set.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Claim> claim(String stream, int shard, int max) {
        return redis.<List<Object>>eval(CLAIM, ScriptOutputType.MULTI, new byte[][] {RedisKeys.webhookStream(stream, shard)},
                RedisKeys.bytes(Integer.toString(max)), RedisKeys.bytes(RedisKeys.WEBHOOK_LAST_PREFIX), RedisKeys.bytes(stream))
                .toCompletableFuture().thenApply(res -> {
                    List<Object> entries = (List<Object>) res.get(0);
                    List<Item> items = new ArrayList<>(entries.size());
                    for (Object e : entries) {
                        List<Object> entry = (List<Object>) e;
                        items.add(item(str(entry.get(0)), (List<Object>) entry.get(1)));
                    }
                    return new Claim(items, (Long) res.get(1));
                });
    }

    private static String str(Object o) {
        return new String((byte[]) o, StandardCharsets.UTF_8);
    }

    /** An item exactly as written: a re-read (retry, takeover) gives the same content. */
    private static Item item(String entryId, List<Object> fields) {
        String id = null;
        String cid = null;
        long serial = 0;
        long timestamp = 0;
        char kind = '?';
        byte[] data = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String f = str(fields.get(i));
            byte[] v = (byte[]) fields.get(i + 1);
            switch (f) {
                case "i" -> id = str(v);
                case "s" -> serial = Long.parseLong(str(v));
                case "t" -> timestamp = Long.parseLong(str(v));
                case "c" -> cid = str(v);
                case "k" -> kind = (char) v[0];
                case "d" -> data = v;
                default -> { }
            }
        }
        ChannelKey channel = RedisKeys.parseId(cid);
        return switch (kind) {
            case 'P' -> new Item(id, serial, timestamp, channel, Source.PRESENCE, true, null, Envelope.members(data), entryId);
            case 'L' -> {
                List<PresenceMessage> leaves = new ArrayList<>();
                for (PresenceMessage m : Envelope.members(data)) {
                    leaves.add(Channel.synthesizedLeave(m, timestamp));
                }
                yield new Item(id, serial, timestamp, channel, Source.PRESENCE, true, null, leaves, entryId);
            }
            case 'E' -> new Item(id, serial, timestamp, channel, Source.PRESENCE, true, null,
                    Envelope.members(data).stream().map(m -> m.withAction(PresenceMessage.PRESENT)).toList(), entryId);
            case 'O', 'o' -> new Item(id, serial, timestamp, channel, Source.OCCUPANCY, kind == 'O', reading(data), null, entryId);
            default -> new Item(id, serial, timestamp, channel, Source.LIFECYCLE, kind == 'A', reading(data), null, entryId);
        };
    }

    /** The eight metrics as the script sums them: the seven of the shares with the member count fifth. */
    private static OccupancyMetrics.Snapshot reading(byte[] text) {
        String[] f = new String(text, StandardCharsets.UTF_8).split(",");
        int[] v = new int[8];
        for (int i = 0; i < 8; i++) {
            v[i] = Integer.parseInt(f[i]);
        }
        return new OccupancyMetrics.Snapshot(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    @Override
    public CompletableFuture<Void> ack(String stream, int shard, List<Item> items) {
        String[] ids = items.stream().map(i -> (String) i.handle()).toArray(String[]::new);
        return redis.xdel(RedisKeys.webhookStream(stream, shard), ids).toCompletableFuture().thenApply(n -> null);
    }
}
