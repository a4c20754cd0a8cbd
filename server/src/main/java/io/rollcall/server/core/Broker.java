package io.rollcall.server.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How channels are shared between nodes. The core owns this interface; engines implement it (in memory for
 * one node; over Redis for many). A broker delivers each publication to {@link Deliveries#deliver} on every
 * node holding the channel: at once on the publishing node, and in publish order per publishing node on the
 * others. Presence and occupancy that other nodes hold come back as {@link ChannelState}.
 */
public interface Broker extends AutoCloseable {
    /** Identifies this node among all nodes sharing the engine; every connectionId it issues starts with it. */
    String nodeId();

    void start(Deliveries deliveries);

    CompletableFuture<Void> publish(ChannelKey channel, Publication publication);

    /**
     * This node now holds the channel and wants its publications. Completes with what the other nodes hold of
     * it, read after this node receives its publications, so no event falls between the two.
     */
    CompletableFuture<ChannelState> subscribe(ChannelKey channel);

    /** Where the engine keeps channels' history (every publication goes into it as it is published). */
    MessageHistory history();

    /** This node no longer holds the channel. */
    void unsubscribe(ChannelKey channel);

    /** This node's own share of a channel's occupancy changed (latest value wins; engines may coalesce). */
    void occupancyChanged(ChannelKey channel, OccupancyMetrics.Snapshot share);

    /**
     * Whether this node now has a share or members on a channel. The engine answers with
     * {@link Deliveries#activity} on the one node whose change made the channel active or idle everywhere.
     */
    void activityChanged(ChannelKey channel, boolean activeHere);

    /** What every node holds of a channel, for a node that need not hold it (REST). */
    CompletableFuture<ChannelState> state(ChannelKey channel);

    /** Names of the app's channels active on some other node (this node's own are the core's to add). */
    CompletableFuture<List<String>> activeChannels(String appId);

    /**
     * A client asked this node to resume a connection it does not hold: the node that holds it (if any) lets
     * it go at once, so its members leave now rather than after the grace period.
     */
    void connectionTakenOver(String connectionKey);

    /** Where integration items wait until delivered, ordered and owned as this engine decides. */
    Outbox outbox();

    @Override
    void close();

    /** The receiving side, implemented by the core. */
    interface Deliveries {
        /** A publication for a channel this node may hold. */
        void deliver(ChannelKey channel, Publication publication);

        /** Another node's share of a channel's occupancy; {@code null} once it has none. */
        void occupancy(ChannelKey channel, String nodeId, OccupancyMetrics.Snapshot share);

        /** This node's change made the channel active, or idle, across the whole deployment. */
        void activity(ChannelKey channel, boolean active);

        /** The full list of the members another node holds on a channel (after it re-registered). */
        void refresh(ChannelKey channel, String nodeId, List<io.rollcall.server.protocol.PresenceMessage> members);

        /** A node is gone for good (its lease expired): its members leave, its occupancy stops counting. */
        void nodeGone(String nodeId, boolean reapedHere);

        /** The engine may have missed events (it lost and regained its backend): re-read every held channel. */
        void resync();

        /** Another node took over one of this node's connections by resuming it there. */
        void takeOver(String connectionKey);

        /**
         * This node's own publication, delivered before the engine stored it, is now in history at that serial
         * (null: the engine could not store it).
         */
        default void stored(ChannelKey channel, Publication publication, HistorySerial serial) {
        }

        /** This node's own members and occupancy share per held channel, for re-registering with the engine. */
        List<ChannelShare> shares();
    }

    /** What one node holds of one channel. */
    record ChannelShare(ChannelKey channel, List<io.rollcall.server.protocol.PresenceMessage> members,
                        OccupancyMetrics.Snapshot occupancy) {}

    /** A node with a live lease, and when that lease runs out (epoch ms). */
    record NodeLease(String nodeId, long leaseExpires) {}

    /** The nodes sharing this engine (just this one for an engine without a cluster). */
    default CompletableFuture<List<NodeLease>> liveNodes() {
        return CompletableFuture.completedFuture(List.of(new NodeLease(nodeId(), Long.MAX_VALUE)));
    }
}
