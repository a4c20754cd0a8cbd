package io.rollcall.server.core;

import io.rollcall.server.protocol.PresenceMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Where integration items (webhook items) wait until delivered. The engine implements it, because the engine is
 * where a channel's order is decided for the whole deployment: in memory for one node; in Redis for a cluster,
 * where items are written in the same step as the change they report, so they survive the node that made it.
 *
 * <p>Each {@link Stream} (one per webhook rule) is split into {@link #SHARDS} shards by channel. Per stream
 * and channel, items have one order and one strictly increasing serial; occupancy and lifecycle items are
 * readings of the channel's state as the engine holds it. At any moment at most one node {@link #owns} a
 * shard and delivers it: {@link #claim} reads the oldest waiting items (an occupancy reading claimed is never
 * replaced afterwards: a newer one is a new item), {@link #ack} removes them once delivered. An item's content
 * never changes once it exists, so a retry or a takeover re-sends it unchanged.
 */
public interface Outbox {
    int SHARDS = 8;
    /**
     * Items one shard may hold when a rule may have {@code queueItems} waiting (the {@code webhookQueueItems}
     * limit); past it the oldest waiting item of the shard is dropped.
     */
    static int perShard(int queueItems) {
        return Math.max(1, queueItems / SHARDS);
    }

    enum Source { PRESENCE, OCCUPANCY, LIFECYCLE }

    /** What one stream follows. {@code matches} gets (appId, channel). */
    record Stream(String id, Source source, BiPredicate<String, String> matches) {}

    /**
     * One item: presence events, or a reading of the channel (whether active, and its metrics). The handle
     * is the engine's own (what {@link #ack} needs).
     */
    record Item(String id, long serial, long timestamp, ChannelKey channel, Source source, boolean active,
                OccupancyMetrics.Snapshot occupancy, List<PresenceMessage> presence, Object handle) {}

    /** The oldest waiting items of a shard, and how many wait in it in all. */
    record Claim(List<Item> items, long depth) {}

    static int shard(ChannelKey channel) {
        return Math.floorMod(channel.appId().hashCode() * 31 + channel.channel().hashCode(), SHARDS);
    }

    /** The streams to record into from now on (the webhook rules in force). */
    void streams(List<Stream> streams);

    /** Items dropped past the bound are counted here, by stream id. */
    void onDropped(Consumer<String> listener);

    /** Presence events applied on this node for the first time (its own, or members found gone). */
    void presence(ChannelKey channel, List<PresenceMessage> events);

    /** The channel's occupancy as this node's core sees it (an engine with state of its own reads that instead). */
    void occupancy(ChannelKey channel, OccupancyMetrics.Snapshot reading);

    /** The channel became active or idle, as this node's core was told (likewise). */
    void lifecycle(ChannelKey channel, boolean active, OccupancyMetrics.Snapshot reading);

    /** Whether this node delivers that shard now. */
    boolean owns(String stream, int shard);

    CompletableFuture<Claim> claim(String stream, int shard, int max);

    CompletableFuture<Void> ack(String stream, int shard, List<Item> items);
}
