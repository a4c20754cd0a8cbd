package io.rollcall.server.engine.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.HistoryEntry;
import io.rollcall.server.core.HistoryQuery;
import io.rollcall.server.core.HistorySerial;
import io.rollcall.server.core.MessageHistory;
import io.rollcall.server.protocol.BaseMessage;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * History in Redis, so every node answers it: a stream per channel and kind ({@code rc:h:} messages,
 * {@code rc:hp:} presence), one entry per message (field {@code m}: the message in msgpack), the stream id
 * (the message's timestamp, then a sequence) as its {@link HistorySerial}. Appends run as one script that adds, trims to {@code maxMessages} (MAXLEN) and
 * to the retention (MINID from the new id's time), sets the key to expire with the retention, and for a
 * MESSAGE publishes the notice to other nodes prefixed with the serial, so they learn where it sits. Reads
 * cut at the retention by this node's clock (nodes' clocks must agree with Redis's, as leases already need).
 */
final class RedisHistory implements MessageHistory {
    /** KEYS[1] stream; ARGV: maxlen, retention ms, pub/sub channel or '', notice, then timestamp and entry pairs. */
    static final String APPEND = """
            local ids = {}
            local lms, lseq = -1, 0
            local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            if #top > 0 then
              local a, b = string.match(top[1][1], '^(%d+)-(%d+)$')
              lms, lseq = tonumber(a), tonumber(b)
            end
            for i = 5, #ARGV, 2 do
              local ts = tonumber(ARGV[i])
              if ts > lms then lms, lseq = ts, 0 else lseq = lseq + 1 end
              local id = string.format('%d-%d', lms, lseq)
              redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[1], id, 'm', ARGV[i + 1])
              ids[#ids + 1] = id
            end
            if #ids == 0 then return ids end
            redis.call('XTRIM', KEYS[1], 'MINID', string.format('%d', math.max(0, lms - tonumber(ARGV[2]))))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            if ARGV[3] ~= '' then
              local last = ids[#ids]
              redis.call('PUBLISH', ARGV[3], 'S' .. string.char(#last) .. last .. ARGV[4])
            end
            return ids
            """;
    /** The first byte of a notice that carries its history serial ahead of the envelope. */
    static final byte STORED = 'S';
    private static final byte[] FIELD = RedisKeys.bytes("m");
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(WireFormat.MSGPACK);

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Clock clock;
    private final long retentionMs;
    private final int maxMessages;

    RedisHistory(RedisAsyncCommands<byte[], byte[]> redis, Clock clock, long retentionMs, int maxMessages) {
        this.redis = redis;
        this.clock = clock;
        this.retentionMs = Math.max(1, retentionMs);
        this.maxMessages = maxMessages;
    }

    @Override
    public CompletableFuture<List<HistorySerial>> append(ChannelKey channel, Kind kind, List<? extends BaseMessage> messages) {
        return appendAndNotify(channel, kind, messages, null, null, null);
    }

    /**
     * Appends, and when {@code pubsub} is given publishes {@code notice} to it with the last serial in front.
     * {@code published}, the msgpack ProtocolMessage the messages came in (already encoded for other nodes), is
     * stored as is when it holds just one, so the common publication is not encoded twice.
     */
    CompletableFuture<List<HistorySerial>> appendAndNotify(ChannelKey channel, Kind kind, List<? extends BaseMessage> messages,
                                                           byte[] pubsub, byte[] notice, byte[] published) {
        byte[][] args = new byte[4 + 2 * messages.size()][];
        long now = clock.millis();
        args[0] = RedisKeys.bytes(Integer.toString(maxMessages));
        args[1] = RedisKeys.bytes(Long.toString(retentionMs));
        args[2] = pubsub == null ? new byte[0] : pubsub;
        args[3] = notice == null ? new byte[0] : notice;
        for (int i = 0; i < messages.size(); i++) {
            BaseMessage m = messages.get(i);
            // Each id is at the message's timestamp (never ahead of this node's clock; after the stream's
            // newest), so start/end bounds are exact.
            args[4 + 2 * i] = RedisKeys.bytes(Long.toString(m.timestamp > 0 ? Math.min(m.timestamp, now) : now));
            args[5 + 2 * i] = published != null && messages.size() == 1 ? published : encode(m);
        }
        // EVAL, not EVALSHA: a NOSCRIPT retry (first use, or after Redis restarted) would overtake later
        // publications and break the per-publisher order other nodes rely on.
        return redis.<List<Object>>eval(APPEND, ScriptOutputType.MULTI, new byte[][] {key(channel, kind)}, args)
                .toCompletableFuture().thenApply(ids -> {
                    List<HistorySerial> out = new ArrayList<>(ids.size());
                    for (Object id : ids) {
                        out.add(HistorySerial.parse(new String((byte[]) id, StandardCharsets.US_ASCII)));
                    }
                    return out;
                });
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> query(ChannelKey channel, Kind kind, HistoryQuery q) {
        HistorySerial from = HistorySerial.max(q.from(), HistorySerial.atStartOf(clock.millis() - retentionMs));
        if (from.compareTo(q.to()) > 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        Range<String> range = Range.create(from.toString(), q.to().toString());
        Limit limit = Limit.from(q.limit());
        byte[] key = key(channel, kind);
        var read = q.forwards() ? redis.xrange(key, range, limit) : redis.xrevrange(key, range, limit);
        return read.toCompletableFuture().thenApply(list -> {
            List<HistoryEntry> out = new ArrayList<>(list.size());
            for (StreamMessage<byte[], byte[]> m : list) {
                out.add(new HistoryEntry(HistorySerial.parse(m.getId()), decode(kind, field(m))));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<HistorySerial> head(ChannelKey channel, Kind kind) {
        return redis.xrevrange(key(channel, kind), Range.create("-", "+"), Limit.from(1)).toCompletableFuture()
                .thenApply(list -> list.isEmpty() ? HistorySerial.ZERO : HistorySerial.parse(list.get(0).getId()));
    }

    @Override
    public void close() {
        // The broker owns the connection.
    }

    private static byte[] field(StreamMessage<byte[], byte[]> m) {
        for (var e : m.getBody().entrySet()) {
            if (java.util.Arrays.equals(e.getKey(), FIELD)) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("history entry without its message");
    }

    private static byte[] key(ChannelKey channel, Kind kind) {
        return RedisKeys.history(channel, kind);
    }

    private static byte[] encode(BaseMessage m) {
        if (m instanceof PresenceMessage p) {
            return Envelope.members(List.of(p));
        }
        if (m instanceof io.rollcall.server.protocol.Annotation a) {
            return MSGPACK.encodeAnnotations(List.of(a));
        }
        return MSGPACK.encodeMessages(List.of((Message) m));
    }

    /** Presence is always a ProtocolMessage; a message is one too (map) when stored as published, else an array. */
    private static BaseMessage decode(Kind kind, byte[] bytes) {
        if (kind == Kind.PRESENCE) {
            return Envelope.members(bytes).get(0);
        }
        if (kind == Kind.ANNOTATIONS) {
            return MSGPACK.decodeAnnotations(bytes).get(0);
        }
        int first = bytes[0] & 0xff;
        boolean map = (first >= 0x80 && first <= 0x8f) || first == 0xde || first == 0xdf;
        return map ? MSGPACK.decode(bytes).messages.get(0) : MSGPACK.decodeMessages(bytes).get(0);
    }

    /** A notice as published by {@link #APPEND}: the serial, and the envelope behind it. */
    record Stored(HistorySerial serial, byte[] envelope) {
        /** The notice {@link #APPEND} publishes, for a message stored beforehand. */
        static byte[] notice(HistorySerial serial, byte[] envelope) {
            byte[] id = serial.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[2 + id.length + envelope.length];
            out[0] = STORED;
            out[1] = (byte) id.length;
            System.arraycopy(id, 0, out, 2, id.length);
            System.arraycopy(envelope, 0, out, 2 + id.length, envelope.length);
            return out;
        }

        static Stored parse(byte[] notice) {
            int len = notice[1] & 0xff;
            String id = new String(notice, 2, len, StandardCharsets.US_ASCII);
            byte[] rest = java.util.Arrays.copyOfRange(notice, 2 + len, notice.length);
            return new Stored(HistorySerial.parse(id), rest);
        }
    }
}
