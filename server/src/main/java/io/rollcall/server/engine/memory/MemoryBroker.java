package io.rollcall.server.engine.memory;

import io.rollcall.server.core.Broker;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.Publication;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The single-node engine: a publication is delivered to this node synchronously, on the publisher's thread,
 * so publish order is the order of calls and the sender's presence echo precedes its ACK.
 */
public final class MemoryBroker implements Broker {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private final String nodeId;
    private volatile Deliveries deliveries;

    public MemoryBroker(String nodeId) {
        this.nodeId = Objects.requireNonNull(nodeId);
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
    public CompletableFuture<Void> publish(ChannelKey channel, Publication publication) {
        deliveries.deliver(channel, publication);
        return DONE;
    }

    @Override
    public void subscribe(ChannelKey channel) {
        // Nothing to do: every channel of this node is already here.
    }

    @Override
    public void unsubscribe(ChannelKey channel) {
    }

    @Override
    public void close() {
    }
}
