package io.rollcall.server.engine.memory;

import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Outbox;
import io.rollcall.server.protocol.PresenceMessage;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The single-node outbox: items wait in this process's memory (a restart loses them), recorded as the core
 * reports each change. This node owns every shard.
 */
final class MemoryOutbox implements Outbox {
    private final Clock clock;
    private final int perShard;
    private final List<Consumer<String>> dropListeners = new CopyOnWriteArrayList<>();
    private List<Stream> streams = List.of();
    /** Per stream: its shards' queues, its last serial, and per channel the last reading and the one still waiting. */
    private final Map<String, StreamState> states = new HashMap<>();

    private static final class StreamState {
        final List<ArrayDeque<Item>> shards = new ArrayList<>();
        long lastSerial;
        final Map<ChannelKey, OccupancyMetrics.Snapshot> lastReading = new HashMap<>();
        final Map<ChannelKey, Item> waitingReading = new HashMap<>();

        StreamState() {
            for (int i = 0; i < SHARDS; i++) {
                shards.add(new ArrayDeque<>());
            }
        }
    }

    MemoryOutbox(Clock clock, int queueItems) {
        this.clock = clock;
        this.perShard = Outbox.perShard(queueItems);
    }

    @Override
    public synchronized void streams(List<Stream> next) {
        streams = List.copyOf(next);
        states.keySet().retainAll(next.stream().map(Stream::id).toList());
    }

    @Override
    public void onDropped(Consumer<String> listener) {
        dropListeners.add(listener);
    }

    @Override
    public synchronized void presence(ChannelKey channel, List<PresenceMessage> events) {
        for (Stream s : matching(channel, Source.PRESENCE)) {
            append(s, channel, Source.PRESENCE, false, null, List.copyOf(events));
        }
    }

    @Override
    public synchronized void occupancy(ChannelKey channel, OccupancyMetrics.Snapshot reading) {
        for (Stream s : matching(channel, Source.OCCUPANCY)) {
            StreamState st = state(s.id());
            if (reading.equals(st.lastReading.get(channel))) {
                continue;
            }
            // A reading not yet attempted gives way to the newer one; one attempted is never replaced.
            Item waiting = st.waitingReading.remove(channel);
            if (waiting != null) {
                st.shards.get(Outbox.shard(channel)).remove(waiting);
            }
            Item item = append(s, channel, Source.OCCUPANCY, !reading.isIdle(), reading, null);
            if (reading.isIdle()) {
                st.lastReading.remove(channel);
            } else {
                st.lastReading.put(channel, reading);
                st.waitingReading.put(channel, item);
            }
        }
    }

    @Override
    public synchronized void lifecycle(ChannelKey channel, boolean active, OccupancyMetrics.Snapshot reading) {
        for (Stream s : matching(channel, Source.LIFECYCLE)) {
            append(s, channel, Source.LIFECYCLE, active, reading, null);
        }
    }

    private List<Stream> matching(ChannelKey channel, Source source) {
        List<Stream> out = new ArrayList<>(1);
        for (Stream s : streams) {
            if (s.source() == source && s.matches().test(channel.appId(), channel.channel())) {
                out.add(s);
            }
        }
        return out;
    }

    private StreamState state(String stream) {
        return states.computeIfAbsent(stream, k -> new StreamState());
    }

    private Item append(Stream s, ChannelKey channel, Source source, boolean active, OccupancyMetrics.Snapshot reading,
                        List<PresenceMessage> presence) {
        StreamState st = state(s.id());
        long now = clock.millis();
        // Microseconds-based, as the Redis engine's: strictly increasing per stream.
        st.lastSerial = Math.max(st.lastSerial + 1, now * 1000);
        Item item = new Item(UUID.randomUUID().toString(), st.lastSerial, now, channel, source, active, reading, presence, null);
        ArrayDeque<Item> q = st.shards.get(Outbox.shard(channel));
        if (q.size() >= perShard) {
            Item dropped = q.pollFirst();
            if (dropped != null) {
                st.waitingReading.remove(dropped.channel(), dropped);
                dropListeners.forEach(l -> l.accept(s.id()));
            }
        }
        q.addLast(item);
        return item;
    }

    @Override
    public boolean owns(String stream, int shard) {
        return true;
    }

    @Override
    public synchronized CompletableFuture<Claim> claim(String stream, int shard, int max) {
        StreamState st = states.get(stream);
        if (st == null) {
            return CompletableFuture.completedFuture(new Claim(List.of(), 0));
        }
        ArrayDeque<Item> q = st.shards.get(shard);
        List<Item> out = new ArrayList<>(Math.min(max, q.size()));
        for (Item i : q) {
            if (out.size() >= max) {
                break;
            }
            st.waitingReading.remove(i.channel(), i);
            out.add(i);
        }
        return CompletableFuture.completedFuture(new Claim(out, q.size()));
    }

    @Override
    public synchronized CompletableFuture<Void> ack(String stream, int shard, List<Item> items) {
        StreamState st = states.get(stream);
        if (st != null) {
            ArrayDeque<Item> q = st.shards.get(shard);
            for (Item i : items) {
                q.remove(i);
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
