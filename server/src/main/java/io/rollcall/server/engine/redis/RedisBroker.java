package io.rollcall.server.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.server.core.Broker;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChannelState;
import io.rollcall.server.core.MessageHistory;
import io.rollcall.server.core.Node;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Publication;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster engine: nodes share channels through one Redis server (standalone, or found through Sentinel).
 *
 * <ul>
 *   <li>Fan-out: each channel has a pub/sub channel; a node subscribes while it holds the channel. A
 *   publication is delivered locally at once and published once; every other node delivers it in the order
 *   its publisher sent it (one command connection per node keeps that order), and ignores its own.</li>
 *   <li>Presence and occupancy: every change is written to the channel's hashes and published in one script
 *   ({@link ChannelWrite}), so a node that subscribes, then reads, misses nothing.</li>
 *   <li>Liveness: each node renews a lease in {@code rc:nodes}. A node whose lease ran out is reaped once
 *   (a claim key decides by whom): its members and shares are deleted and every node is told, so each
 *   member leaves exactly once everywhere. A node only reaps after it has itself been connected for a
 *   whole lease, so a Redis outage never makes live nodes look dead.</li>
 *   <li>Outages: commands fail fast while Redis is away (nothing piles up; local clients are served as
 *   before). On reconnecting a node re-registers all it holds (and tells the others), then, a lease later
 *   when every live node has done the same, re-reads each channel it holds.</li>
 * </ul>
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final byte KIND_NODE_GONE = 'D';
    private static final byte KIND_TAKE_OVER = 'T';

    private final String nodeId;
    private final Clock clock;
    private final long leaseMs;
    private final RedisClient client;
    private final ClientResources resources;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ScheduledExecutorService engine;
    private final Set<ChannelKey> subscribed = ConcurrentHashMap.newKeySet();
    /** This node's occupancy share per channel: the latest, and which channels have a write in flight. */
    private final Map<ChannelKey, OccupancyMetrics.Snapshot> shares = new ConcurrentHashMap<>();
    private final Set<ChannelKey> shareWrites = ConcurrentHashMap.newKeySet();
    /** Dead nodes this node is cleaning up after: it reports their members' leaves itself. */
    private final Set<String> reaping = ConcurrentHashMap.newKeySet();
    private final Counter reconnects;
    private final Counter reaped;
    private final Counter failures;
    private final io.micrometer.core.instrument.Timer roundTrip;
    private final AtomicLong clusterNodes = new AtomicLong(1);
    private final java.util.concurrent.atomic.AtomicBoolean resyncPending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Deliveries deliveries;
    private final Counter resyncs;
    private final RedisOutbox outbox;
    /**
     * Webhook items of presence writes that failed (Redis away), oldest first, written again once Redis is
     * back; while any wait, newer ones queue behind them so each member's items keep their order.
     */
    private final java.util.ArrayDeque<ChannelWrite> spool = new java.util.ArrayDeque<>();
    private final int maxSpool;
    private final int webhookShardBound;
    /** Channels with a write that failed: their readings are recorded again (forced) once Redis is back. */
    private final Set<ChannelKey> dirty = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean connected;
    /** Since when every lease renewal has succeeded on time; only then may this node judge others dead. */
    private volatile long healthySince;
    private volatile long lastRenewal;
    private volatile boolean closed;
    /** Set once close() starts: the notice of this node's own departure is then expected, not alarming. */
    private volatile boolean leaving;

    private final RedisHistory history;

    public RedisBroker(RedisSettings settings, String nodeId, Clock clock, MeterRegistry metrics) {
        this(settings, nodeId, clock, metrics, 120_000, 1_000, io.rollcall.server.config.Limits.defaults().webhookQueueItems(),
                io.rollcall.server.config.Limits.defaults().webhookSpoolWrites());
    }

    /** Connects (failing at once if Redis cannot be reached) and starts renewing this node's lease. */
    public RedisBroker(RedisSettings settings, String nodeId, Clock clock, MeterRegistry metrics,
                       long historyRetentionMs, int historyMaxMessages, int webhookQueueItems, int webhookSpoolWrites) {
        this.nodeId = Objects.requireNonNull(nodeId);
        this.webhookShardBound = io.rollcall.server.core.Outbox.perShard(webhookQueueItems);
        this.maxSpool = webhookSpoolWrites;
        this.clock = clock;
        this.leaseMs = settings.nodeLease().toMillis();
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), settings.maxReconnectDelay(), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(settings.uri());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while Redis is away: local clients go on being served, nothing piles up, and the
                // state is re-registered whole on reconnect.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(settings.commandQueue())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
        try {
            // Shutting the client down also closes a connection opened before the other one failed.
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
            this.pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot connect to Redis at " + uri + ": " + rootMessage(e), e);
        }
        this.engine = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollcall-redis");
            t.setDaemon(true);
            return t;
        });
        this.redis = connection.async();
        this.history = new RedisHistory(redis, clock, historyRetentionMs, historyMaxMessages);
        this.outbox = new RedisOutbox(this, redis, nodeId, leaseMs);
        this.connected = true;
        this.healthySince = clock.millis();
        this.lastRenewal = healthySince;
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                received(channel, message);
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                if (handler == connection && !connected) {
                    engine.execute(RedisBroker.this::reconnected);
                } else if (handler == pubsub) {
                    // Notices sent while it was away are lost: subscribe again, and re-read once settled.
                    engine.execute(() -> {
                        resubscribe();
                        scheduleResync();
                    });
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (handler == connection && connected && !closed) {
                    connected = false;
                    healthySince = Long.MAX_VALUE;
                    log.warn("lost Redis: serving local clients only until it is back");
                }
            }
        });
        pubsub.sync().subscribe(RedisKeys.CONTROL);
        this.reconnects = Counter.builder("rollcall_redis_reconnects").description("Times this node got Redis back after losing it").register(metrics);
        this.reaped = Counter.builder("rollcall_cluster_nodes_reaped").description("Dead nodes this node cleaned up after").register(metrics);
        this.resyncs = Counter.builder("rollcall_cluster_resyncs").description("Times this node re-read every channel it holds after an outage").register(metrics);
        this.roundTrip = io.micrometer.core.instrument.Timer.builder("rollcall_redis_roundtrip")
                .description("Round trip of this node's lease renewal, a one-command write to Redis")
                .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2), java.time.Duration.ofMillis(5),
                        java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(50),
                        java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(1000))
                .register(metrics);
        this.failures = Counter.builder("rollcall_redis_failures").description("Redis commands that failed (Redis away or slow)").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("rollcall_redis_connected", () -> connected ? 1 : 0)
                .description("1 while this node is connected to Redis").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("rollcall_cluster_nodes", clusterNodes::get)
                .description("Nodes with a live lease, as last seen").register(metrics);
        long tick = Math.max(50, leaseMs / 3);
        engine.scheduleWithFixedDelay(this::leaseTick, 0, tick, TimeUnit.MILLISECONDS);
        log.info("cluster node {} on Redis {} (lease {} ms)", nodeId, uri.toString(), leaseMs);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? e.getMessage() : t.getMessage();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void start(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public io.rollcall.server.core.Outbox outbox() {
        return outbox;
    }

    // ---- fan-out

    @Override
    public CompletableFuture<Void> publish(ChannelKey channel, Publication publication) {
        if (publication.kind() == Publication.Kind.PRESENCE) {
            outbox.publishing.set(channel);
        }
        try {
            deliveries.deliver(channel, publication);
        } finally {
            outbox.publishing.remove();
        }
        EncodedMessage message = publication.message();
        if (publication.kind() == Publication.Kind.MESSAGE) {
            Envelope e = new Envelope(Envelope.Kind.MESSAGE, nodeId, publication.originConnectionId(), null,
                    message.bytes(WireFormat.MSGPACK));
            List<? extends io.rollcall.server.protocol.BaseMessage> items = publication.items();
            if (items.isEmpty()) {
                // Nothing to store (already stored, ephemeral, a summary or annotation): announced as it is.
                byte[] notice = publication.historySerial() == null ? e.encode()
                        : RedisHistory.Stored.notice(publication.historySerial(), e.encode());
                return confirmed(watch(redis.publish(RedisKeys.pubsub(channel), notice).toCompletableFuture()));
            }
            // Stored and announced in one script: other nodes learn its history serial with it.
            // The published bytes stand for the stored message only when nothing was left out (e.g. ephemeral).
            byte[] published = items == message.message().messages ? message.bytes(WireFormat.MSGPACK) : null;
            CompletableFuture<List<io.rollcall.server.core.HistorySerial>> stored = watch(history.appendAndNotify(
                    channel, MessageHistory.Kind.MESSAGES, items, RedisKeys.pubsub(channel), e.encode(), published));
            stored.whenComplete((serials, error) -> deliveries.stored(channel, publication,
                    serials == null || serials.isEmpty() ? null : serials.get(serials.size() - 1)));
            return confirmed(stored);
        }
        watch(history.appendAndNotify(channel, MessageHistory.Kind.PRESENCE, publication.items(), null, null,
                message.bytes(WireFormat.MSGPACK)));
        ChannelWrite write = new ChannelWrite(channel, nodeId);
        for (PresenceMessage p : publication.presence()) {
            if (p.action == PresenceMessage.LEAVE || p.action == PresenceMessage.ABSENT) {
                write.deleteMember(p.memberKey());
            } else {
                write.setMember(p.memberKey(), Envelope.members(List.of(p.withAction(PresenceMessage.PRESENT))));
            }
        }
        write.publish(new Envelope(Envelope.Kind.PRESENCE, nodeId, publication.originConnectionId(), null,
                message.bytes(WireFormat.MSGPACK)));
        List<ChannelWrite.Spec> hooks = outbox.specs(channel);
        boolean carried = false;
        if (!hooks.isEmpty()) {
            write.webhooks(hooks);
            synchronized (spool) {
                if (spool.isEmpty()) {
                    write.presenceItem(Envelope.members(publication.presence()));
                    carried = true;
                } else {
                    spoolItems(itemsOnly(channel, hooks, publication.presence()));
                }
            }
        }
        boolean itemsInWrite = carried;
        CompletableFuture<Long> f = run(write);
        f.whenComplete((r, e) -> {
            if (e != null && !hooks.isEmpty()) {
                dirty.add(channel);
                if (itemsInWrite) {
                    synchronized (spool) {
                        spoolItems(itemsOnly(channel, hooks, publication.presence()));
                    }
                }
            }
        });
        return confirmed(f);
    }

    /** Webhook items of presence events, written apart from any change of state. */
    private ChannelWrite itemsOnly(ChannelKey channel, List<ChannelWrite.Spec> hooks, List<PresenceMessage> events) {
        return new ChannelWrite(channel, nodeId).notForThisNode().webhooks(hooks).presenceItem(Envelope.members(events));
    }

    private void spoolItems(ChannelWrite items) {
        if (spool.size() >= maxSpool) {
            ChannelWrite dropped = spool.pollFirst();
            log.warn("webhook items waiting for Redis past {} writes: dropped the oldest ({})", maxSpool, dropped.channel());
        }
        spool.addLast(items);
    }

    /** Members found gone after an outage: their LEAVE items only (Redis has lost them already). */
    void recordPresence(ChannelKey channel, List<PresenceMessage> events) {
        List<ChannelWrite.Spec> hooks = outbox.specs(channel);
        if (hooks.isEmpty()) {
            return;
        }
        ChannelWrite items = itemsOnly(channel, hooks, events);
        synchronized (spool) {
            if (!spool.isEmpty() || !connected) {
                spoolItems(items);
                return;
            }
        }
        run(items).whenComplete((r, e) -> {
            if (e != null) {
                synchronized (spool) {
                    spoolItems(items);
                }
            }
        });
    }

    /** Writes the spooled items in order, one at a time; stops at the first failure (tried again later). */
    private void drainSpool() {
        if (draining.compareAndSet(false, true)) {
            drainNext();
        }
    }

    private void drainNext() {
        ChannelWrite next;
        synchronized (spool) {
            next = spool.peekFirst();
        }
        if (next == null || !connected || closed) {
            draining.set(false);
            return;
        }
        run(next).whenComplete((r, e) -> {
            if (e == null) {
                synchronized (spool) {
                    if (spool.peekFirst() == next) {
                        spool.pollFirst();
                    }
                }
                engine.execute(this::drainNext);
            } else {
                draining.set(false);
            }
        });
    }

    /** Records again the readings of channels whose writes failed: the receiver may hold a stale one. */
    private void reportDirty() {
        for (ChannelKey key : List.copyOf(dirty)) {
            dirty.remove(key);
            List<ChannelWrite.Spec> hooks = outbox.specs(key);
            if (!hooks.isEmpty()) {
                run(new ChannelWrite(key, nodeId).notForThisNode().webhooks(hooks).forceReport())
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                dirty.add(key);
                            }
                        });
            }
        }
    }

    /**
     * Completes once Redis has the publication (so what a client is told is done shows on every node), or
     * could not take it: the local delivery stands either way, and an outage is not the publisher's error.
     */
    private static CompletableFuture<Void> confirmed(CompletableFuture<?> sent) {
        return sent.handle((r, e) -> null);
    }

    private void received(byte[] channel, byte[] message) {
        try {
            if (java.util.Arrays.equals(channel, RedisKeys.CONTROL)) {
                control(message);
                return;
            }
            ChannelKey key = RedisKeys.fromPubsub(channel);
            io.rollcall.server.core.HistorySerial serial = null;
            if (message.length > 1 && message[0] == RedisHistory.STORED) {
                RedisHistory.Stored stored = RedisHistory.Stored.parse(message);
                serial = stored.serial();
                message = stored.envelope();
            }
            Envelope e = Envelope.decode(message);
            if (key == null || e.origin().equals(nodeId) || deliveries == null) {
                return;
            }
            switch (e.kind()) {
                case MESSAGE -> deliveries.deliver(key,
                        Publication.messages(new EncodedMessage(e.message()), e.originConnectionId()).storedAt(serial).asReceived());
                case PRESENCE -> {
                    ProtocolMessage pm = e.message();
                    deliveries.deliver(key, Publication.presence(new EncodedMessage(pm),
                            pm.presence == null ? List.of() : pm.presence, e.originConnectionId()).asReceived());
                }
                case REFRESH -> {
                    deliveries.occupancy(key, e.origin(), e.share());
                    deliveries.refresh(key, e.origin(), Envelope.members(e.payload()));
                }
                case OCCUPANCY -> deliveries.occupancy(key, e.origin(), e.share());
            }
        } catch (RuntimeException ex) {
            log.warn("ignored a malformed notice from another node", ex);
        }
    }

    private void control(byte[] message) {
        String arg = new String(message, 1, message.length - 1, StandardCharsets.UTF_8);
        if (message[0] == KIND_NODE_GONE && arg.equals(nodeId) && !leaving) {
            // Taken for dead (a long pause, a partition) though alive: everyone dropped what this node
            // holds, so it writes it all again and tells them.
            log.warn("this node was taken for dead by the cluster: re-registering what it holds");
            engine.execute(this::reregisterAll);
        } else if (message[0] == KIND_NODE_GONE && !reaping.contains(arg)) {
            deliveries.nodeGone(arg, false);
        } else if (message[0] == KIND_TAKE_OVER && Node.owns(nodeId, arg)) {
            deliveries.takeOver(arg);
        }
    }

    private static byte[] notice(byte kind, String arg) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write(kind);
        buf.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
        return buf.toByteArray();
    }

    @Override
    public MessageHistory history() {
        return history;
    }

    @Override
    public CompletableFuture<ChannelState> subscribe(ChannelKey channel) {
        subscribed.add(channel);
        return watch(pubsub.async().subscribe(RedisKeys.pubsub(channel)).toCompletableFuture())
                .thenCompose(v -> state(channel));
    }

    /** Forgets the channel in this node's channel set too, unless something of this node's is still there. */
    private static final String FORGET_CHANNEL = """
            if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
            for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
              if string.sub(f, 1, #ARGV[1]) == ARGV[1] then return 0 end
            end
            return redis.call('SREM', KEYS[3], ARGV[2])
            """;

    @Override
    public void unsubscribe(ChannelKey channel) {
        if (subscribed.remove(channel)) {
            watch(pubsub.async().unsubscribe(RedisKeys.pubsub(channel)).toCompletableFuture());
            byte[][] keys = {RedisKeys.presence(channel), RedisKeys.occupancy(channel), RedisKeys.nodeChannels(nodeId)};
            watch(redis.<Long>eval(FORGET_CHANNEL, ScriptOutputType.INTEGER, keys, RedisKeys.bytes(nodeId),
                    RedisKeys.bytes(RedisKeys.id(channel))).toCompletableFuture());
        }
    }

    /** After the pub/sub connection came back: every held channel is subscribed again (idempotent in Redis). */
    private void resubscribe() {
        if (subscribed.isEmpty() || closed) {
            return;
        }
        watch(pubsub.async().subscribe(subscribed.stream().map(RedisKeys::pubsub).toArray(byte[][]::new)).toCompletableFuture());
    }

    // ---- state

    /** Redis decides (see {@link ChannelWrite}): the flip comes back with the write that made it. */
    @Override
    public void activityChanged(ChannelKey channel, boolean activeHere) {
    }

    @Override
    public CompletableFuture<ChannelState> state(ChannelKey channel) {
        CompletableFuture<Map<byte[], byte[]>> members = watch(redis.hgetall(RedisKeys.presence(channel)).toCompletableFuture());
        CompletableFuture<Map<byte[], byte[]>> occupancy = watch(redis.hgetall(RedisKeys.occupancy(channel)).toCompletableFuture());
        return members.thenCombine(occupancy, (m, o) -> {
            List<PresenceMessage> list = new ArrayList<>(m.size());
            for (byte[] encoded : m.values()) {
                list.addAll(Envelope.members(encoded));
            }
            Map<String, OccupancyMetrics.Snapshot> byNode = new HashMap<>();
            o.forEach((node, share) -> byNode.put(new String(node, StandardCharsets.UTF_8),
                    Envelope.parseShare(new String(share, StandardCharsets.UTF_8))));
            return new ChannelState(list, byNode);
        });
    }

    @Override
    public CompletableFuture<List<String>> activeChannels(String appId) {
        return watch(redis.zrange(RedisKeys.active(appId), 0, -1).toCompletableFuture()).thenApply(names -> {
            List<String> out = new ArrayList<>(names.size());
            for (byte[] n : names) {
                out.add(new String(n, StandardCharsets.UTF_8));
            }
            return out;
        });
    }

    /** Latest value wins: at most one write in flight per channel, then the newest share if it moved meanwhile. */
    @Override
    public void occupancyChanged(ChannelKey channel, OccupancyMetrics.Snapshot share) {
        shares.put(channel, share);
        if (shareWrites.add(channel)) {
            writeShare(channel);
        }
    }

    private void writeShare(ChannelKey channel) {
        OccupancyMetrics.Snapshot share = shares.get(channel);
        boolean none = share == null || share.equals(OccupancyMetrics.Snapshot.EMPTY);
        ChannelWrite write = new ChannelWrite(channel, nodeId);
        if (none) {
            write.deleteShare(nodeId);
        } else {
            write.setShare(nodeId, Envelope.shareText(share));
        }
        write.publish(new Envelope(Envelope.Kind.OCCUPANCY, nodeId, null, none ? null : share, null));
        write.webhooks(outbox.specs(channel));
        run(write).whenComplete((r, e) -> {
            if (e != null) {
                dirty.add(channel);
            }
            if (!Objects.equals(share, shares.get(channel))) {
                writeShare(channel);
                return;
            }
            if (none) {
                shares.remove(channel, share);
            }
            shareWrites.remove(channel);
            // A change that landed between the check and the removal must not be stranded.
            if (!Objects.equals(share, shares.get(channel)) && shareWrites.add(channel)) {
                writeShare(channel);
            }
        });
    }

    @Override
    public void connectionTakenOver(String connectionKey) {
        watch(redis.publish(RedisKeys.CONTROL, notice(KIND_TAKE_OVER, connectionKey)).toCompletableFuture());
    }

    // ---- liveness

    @Override
    public CompletableFuture<List<Broker.NodeLease>> liveNodes() {
        long now = clock.millis();
        return watch(redis.zrangebyscoreWithScores(RedisKeys.NODES, Range.create((double) now, Double.POSITIVE_INFINITY))
                .toCompletableFuture()).thenApply(list -> {
                    List<Broker.NodeLease> out = new java.util.ArrayList<>();
                    for (io.lettuce.core.ScoredValue<byte[]> v : list) {
                        out.add(new Broker.NodeLease(new String(v.getValue(), StandardCharsets.UTF_8), (long) v.getScore()));
                    }
                    return out;
                });
    }

    private void leaseTick() {
        if (!connected || closed) {
            outbox.lost();
            return;
        }
        outbox.leaseTick();
        // Writes that failed without an outage (a timeout) are made good here too; readings only once every
        // node has had a lease to re-register, so they are not of a half-restored state.
        drainSpool();
        if (clock.millis() - healthySince >= leaseMs) {
            reportDirty();
        }
        long now = clock.millis();
        watch(redis.zadd(RedisKeys.NODES, (double) (now + leaseMs), RedisKeys.bytes(nodeId)).toCompletableFuture())
                .thenRun(() -> renewed(now));
        watch(redis.zcount(RedisKeys.NODES, Range.create((double) now, Double.POSITIVE_INFINITY)).toCompletableFuture())
                .thenAccept(clusterNodes::set);
        if (now - healthySince < leaseMs) {
            return; // Others may not have renewed since Redis came back (or woke up): nobody is judged dead yet.
        }
        watch(redis.zrangebyscore(RedisKeys.NODES, Range.create(Double.NEGATIVE_INFINITY, (double) now)).toCompletableFuture())
                .thenAccept(expired -> {
                    for (byte[] id : expired) {
                        String dead = new String(id, StandardCharsets.UTF_8);
                        if (!dead.equals(nodeId)) {
                            engine.execute(() -> claimAndReap(dead));
                        }
                    }
                });
    }

    /**
     * A renewal that comes late (Redis stalled or was away) restarts the healthy period: a node judges others
     * only after renewing on time for a whole lease, as they had the same chance to renew.
     */
    private void renewed(long sentAt) {
        long now = clock.millis();
        roundTrip.record(Math.max(0, now - sentAt), TimeUnit.MILLISECONDS);
        long tick = Math.max(50, leaseMs / 3);
        if (now - lastRenewal > 2 * tick + 100 || now - sentAt > tick) {
            healthySince = now;
        } else if (healthySince == Long.MAX_VALUE) {
            healthySince = now;
        }
        lastRenewal = now;
    }

    private void claimAndReap(String dead) {
        watch(redis.set(RedisKeys.reapClaim(dead), RedisKeys.bytes(nodeId), SetArgs.Builder.nx().px(Math.max(1000, leaseMs)))
                .toCompletableFuture()).thenAccept(ok -> {
                    if ("OK".equals(ok)) {
                        log.warn("node {} missed its lease: its members leave, its connections stop counting", dead);
                        reaped.increment();
                        reaping.add(dead);
                        forget(dead, () -> deliveries.nodeGone(dead, true))
                                .whenComplete((v, e) -> reaping.remove(dead));
                    }
                });
    }

    /** Deletes everything a node wrote, runs {@code here} (this node's own view), then tells every node it is gone. */
    private CompletableFuture<Void> forget(String node, Runnable here) {
        return watch(redis.smembers(RedisKeys.nodeChannels(node)).toCompletableFuture()).thenCompose(channels -> {
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (byte[] id : channels) {
                ChannelKey key = RedisKeys.parseId(new String(id, StandardCharsets.UTF_8));
                // Each member of the node leaves with an item of its own, on every channel it was on.
                writes.add(run(new ChannelWrite(key, nodeId).clearMembersOf(node).deleteShare(node).notForThisNode()
                        .webhooks(outbox.specs(key)).recordLeaves()));
            }
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        }).thenCompose(v -> watch(redis.del(RedisKeys.nodeChannels(node)).toCompletableFuture()))
                .thenCompose(v -> watch(redis.zrem(RedisKeys.NODES, RedisKeys.bytes(node)).toCompletableFuture()))
                .thenRun(here)
                .thenCompose(v -> watch(redis.publish(RedisKeys.CONTROL, notice(KIND_NODE_GONE, node)).toCompletableFuture()))
                .thenApply(v -> null);
    }

    /**
     * Redis is back (perhaps empty after a restart, perhaps with writes of ours it never got): this node
     * writes again exactly what it holds, channel by channel, and tells the others; a lease later it
     * re-reads every channel it holds, to catch what it missed meanwhile.
     */
    private void reconnected() {
        if (closed) {
            return;
        }
        connected = true;
        healthySince = clock.millis();
        lastRenewal = healthySince;
        reconnects.increment();
        log.info("Redis is back: re-registering what this node holds");
        resubscribe();
        reregisterAll();
        scheduleResync();
    }

    /**
     * Re-reads every held channel a lease from now: by then every live node has re-registered (they renew
     * every third of a lease), so what is missing from Redis then is really gone. One re-read covers any
     * number of reasons to re-read that come up meanwhile.
     */
    private void scheduleResync() {
        if (!resyncPending.compareAndSet(false, true)) {
            return;
        }
        engine.schedule(() -> {
            resyncPending.set(false);
            if (connected && !closed) {
                resyncs.increment();
                // Every live node has re-registered by now: items that waited for Redis go first, then
                // readings of the channels whose writes failed, then each held channel is re-read.
                drainSpool();
                reportDirty();
                deliveries.resync();
            }
        }, leaseMs, TimeUnit.MILLISECONDS);
    }

    /** Writes again exactly what this node holds, channel by channel, and tells the other nodes. */
    private void reregisterAll() {
        long now = clock.millis();
        watch(redis.zadd(RedisKeys.NODES, (double) (now + leaseMs), RedisKeys.bytes(nodeId)).toCompletableFuture());
        List<ChannelShare> held = deliveries.shares();
        watch(redis.smembers(RedisKeys.nodeChannels(nodeId)).toCompletableFuture()).whenComplete((written, e) -> {
            Set<ChannelKey> stale = new HashSet<>();
            if (written != null) {
                for (byte[] id : written) {
                    stale.add(RedisKeys.parseId(new String(id, StandardCharsets.UTF_8)));
                }
            }
            for (ChannelShare s : held) {
                stale.remove(s.channel());
                reregister(s.channel(), s.members(), s.occupancy());
            }
            for (ChannelKey key : stale) {
                reregister(key, List.of(), OccupancyMetrics.Snapshot.EMPTY);
            }
        });
    }

    private void reregister(ChannelKey key, List<PresenceMessage> members, OccupancyMetrics.Snapshot share) {
        ChannelWrite write = new ChannelWrite(key, nodeId).clearMembersOf(nodeId);
        for (PresenceMessage m : members) {
            write.setMember(m.memberKey(), Envelope.members(List.of(m)));
        }
        boolean none = share.equals(OccupancyMetrics.Snapshot.EMPTY);
        if (none) {
            write.deleteShare(nodeId);
        } else {
            write.setShare(nodeId, Envelope.shareText(share));
        }
        write.publish(new Envelope(Envelope.Kind.REFRESH, nodeId, null, none ? null : share, Envelope.members(members)));
        write.webhooks(outbox.specs(key)).recordRestored();
        restore(write);
    }

    // ---- plumbing

    /** Runs the write; when it made the channel active or idle everywhere, this node reports that. */
    private CompletableFuture<Long> run(ChannelWrite write) {
        CompletableFuture<Long> f = restore(write);
        f.thenAccept(flip -> {
            if (flip != null && flip != ChannelWrite.UNCHANGED) {
                deliveries.activity(write.channel(), flip == ChannelWrite.BECAME_ACTIVE);
            }
        });
        return f;
    }

    /** Runs a write that puts back what was there (re-registering): any flip it shows is not news. */
    private CompletableFuture<Long> restore(ChannelWrite write) {
        return watch(redis.<List<Object>>eval(ChannelWrite.SCRIPT, ScriptOutputType.MULTI, write.keys(), write.args(webhookShardBound))
                .toCompletableFuture()).thenApply(result -> {
                    for (int i = 1; i < result.size(); i++) {
                        outbox.dropped(new String((byte[]) result.get(i), StandardCharsets.UTF_8));
                    }
                    return (Long) result.get(0);
                });
    }

    /** Counts failures (logged once per outage at most, as the connection state already says why). */
    private <T> CompletableFuture<T> watch(CompletableFuture<T> f) {
        f.whenComplete((r, e) -> {
            if (e != null) {
                failures.increment();
                if (connected) {
                    log.debug("Redis command failed", e);
                }
            }
        });
        return f;
    }

    /**
     * Leaves the cluster cleanly: this node's members and shares are deleted and the others told at once,
     * rather than after the lease runs out.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        leaving = true;
        try {
            if (connected) {
                outbox.release();
                forget(nodeId, () -> { }).get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.debug("could not leave the cluster cleanly; the lease will run out instead", e);
        }
        closed = true;
        engine.shutdownNow();
        pubsub.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
