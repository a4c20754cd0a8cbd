package io.rollcall.server.core;

import java.util.concurrent.CompletableFuture;

/**
 * How publications reach every node that holds a channel. The core owns this interface; engines implement
 * it (in memory for one node; over Redis for many). A broker delivers each publication to
 * {@link Deliveries#deliver} on every node holding the channel, this node included, in publish order per
 * publishing node.
 */
public interface Broker extends AutoCloseable {
    /** Identifies this node among all nodes sharing the engine. */
    String nodeId();

    void start(Deliveries deliveries);

    CompletableFuture<Void> publish(ChannelKey channel, Publication publication);

    /** This node now holds the channel and wants its publications. */
    void subscribe(ChannelKey channel);

    /** This node no longer holds the channel. */
    void unsubscribe(ChannelKey channel);

    @Override
    void close();

    /** The receiving side, implemented by the core. */
    interface Deliveries {
        void deliver(ChannelKey channel, Publication publication);
    }
}
