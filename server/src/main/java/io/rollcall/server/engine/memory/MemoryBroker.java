package io.rollcall.server.engine.memory;

import io.rollcall.server.core.Broker;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChannelState;
import io.rollcall.server.core.HistorySerial;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Publication;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The single-node engine: a publication is delivered to this node synchronously, on the publisher's thread,
 * so publish order is the order of calls and the sender's presence echo precedes its ACK. There are no other
 * nodes, so they hold nothing.
 */
public final class MemoryBroker implements Broker {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<ChannelState> NOTHING = CompletableFuture.completedFuture(ChannelState.EMPTY);
    private static final CompletableFuture<List<String>> NO_NAMES = CompletableFuture.completedFuture(List.of());
    private final String nodeId;
    private final MemoryOutbox outbox;
    private final MemoryHistory history;
    private volatile Deliveries deliveries;

    public MemoryBroker(String nodeId) {
        this(nodeId, java.time.Clock.systemUTC());
    }

    public MemoryBroker(String nodeId, java.time.Clock clock) {
        this(nodeId, clock, new MemoryHistory(clock, 120_000, 1_000));
    }

    public MemoryBroker(String nodeId, java.time.Clock clock, MemoryHistory history) {
        this(nodeId, clock, history, io.rollcall.server.config.Limits.defaults().webhookQueueItems());
    }

    public MemoryBroker(String nodeId, java.time.Clock clock, MemoryHistory history, int webhookQueueItems) {
        this.nodeId = Objects.requireNonNull(nodeId);
        this.outbox = new MemoryOutbox(clock, webhookQueueItems);
        this.history = Objects.requireNonNull(history);
    }

    @Override
    public io.rollcall.server.core.Outbox outbox() {
        return outbox;
    }

    @Override
    public MemoryHistory history() {
        return history;
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
        // Stored first (at once, in memory), so the delivery knows its place in history.
        List<? extends io.rollcall.server.protocol.BaseMessage> items = publication.items();
        List<HistorySerial> serials = items.isEmpty() ? List.of() : history.append(channel, publication.historyKind(), items).join();
        deliveries.deliver(channel, serials.isEmpty() ? publication : publication.storedAt(serials.get(serials.size() - 1)));
        return DONE;
    }

    @Override
    public CompletableFuture<ChannelState> subscribe(ChannelKey channel) {
        return NOTHING;
    }

    @Override
    public void unsubscribe(ChannelKey channel) {
    }

    @Override
    public void occupancyChanged(ChannelKey channel, OccupancyMetrics.Snapshot share) {
    }

    @Override
    public void activityChanged(ChannelKey channel, boolean activeHere) {
        // This node is the whole deployment: its activity is the channel's.
        deliveries.activity(channel, activeHere);
    }

    @Override
    public CompletableFuture<ChannelState> state(ChannelKey channel) {
        return NOTHING;
    }

    @Override
    public CompletableFuture<List<String>> activeChannels(String appId) {
        return NO_NAMES;
    }

    @Override
    public void connectionTakenOver(String connectionKey) {
    }

    @Override
    public void close() {
        history.close();
    }
}
