package io.rollcall.server.core;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code [meta]occupancy} events of one channel. A change that moves a metric between zero and non-zero goes
 * out at once; any other change waits for the interval, so a burst of N attaches costs each subscriber a few
 * events rather than N. Guarded by the channel's monitor.
 */
final class OccupancyEvents {
    private final Channel channel;
    private final Node node;
    private int subscribers;
    private OccupancyMetrics.Snapshot lastSent = OccupancyMetrics.Snapshot.EMPTY;
    private ScheduledFuture<?> scheduled;
    private long lastEmitAt;
    private long eventCounter;

    OccupancyEvents(Channel channel, Node node) {
        this.channel = channel;
        this.node = node;
    }

    void addSubscriber(Attachment a) {
        if (a.occupancyCategory == null) {
            return;
        }
        subscribers++;
        // The first event goes to the new subscriber right after its ATTACHED.
        OccupancyMetrics.Snapshot now = channel.occupancyLocked();
        a.lastOccupancy = now;
        channel.sendPresence();
        a.connection.deliver(event(now, a.occupancyCategory));
    }

    void removeSubscriber(Attachment a) {
        if (a.occupancyCategory != null) {
            subscribers--;
        }
    }

    boolean pending() {
        return scheduled != null;
    }

    /** Called after every metric change, with the channel monitor held and the current reading. */
    void changed(OccupancyMetrics.Snapshot now) {
        if (subscribers == 0) {
            lastSent = now;
            return;
        }
        if (now.equals(lastSent)) {
            return;
        }
        long interval = node.limits().occupancyInterval().toMillis();
        long sinceLast = node.clock().millis() - lastEmitAt;
        if (now.flipsZero(lastSent) || sinceLast >= interval) {
            emit(now);
        } else if (scheduled == null) {
            scheduled = node.scheduler().schedule(this::onTimer, interval - sinceLast, TimeUnit.MILLISECONDS);
        }
    }

    private void onTimer() {
        synchronized (channel) {
            scheduled = null;
            if (subscribers == 0) {
                return;
            }
            OccupancyMetrics.Snapshot now = channel.occupancyLocked();
            if (!now.equals(lastSent)) {
                emit(now);
            }
        }
    }

    private void emit(OccupancyMetrics.Snapshot now) {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        lastSent = now;
        lastEmitAt = node.clock().millis();
        // Presence events behind this reading reach subscribers before it does.
        channel.sendPresence();
        // One encoding per requested category, shared by all its subscribers.
        Map<String, EncodedMessage> byCategory = new HashMap<>();
        for (Attachment a : channel.attachmentsLocked()) {
            String cat = a.occupancyCategory;
            if (cat == null || unchangedFor(a, now)) {
                continue;
            }
            a.lastOccupancy = now;
            a.connection.deliver(byCategory.computeIfAbsent(cat, c -> event(now, c)));
        }
    }

    /** True when what this attachment asked for has not moved since it was last told. */
    private static boolean unchangedFor(Attachment a, OccupancyMetrics.Snapshot now) {
        OccupancyMetrics.Snapshot last = a.lastOccupancy;
        if (last == null) {
            return false;
        }
        return "metrics".equals(a.occupancyCategory) ? last.equals(now) : last.get(a.occupancyCategory) == now.get(a.occupancyCategory);
    }

    private EncodedMessage event(OccupancyMetrics.Snapshot snapshot, String category) {
        Map<String, Integer> metrics = "metrics".equals(category)
                ? snapshot.toMap()
                : Map.of(category, snapshot.get(category));
        Message m = new Message();
        m.name = "[meta]occupancy";
        m.data = node.jsonText(Map.of("metrics", metrics));
        m.encoding = "json";
        long now = node.clock().millis();
        m.timestamp = now;
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel.name());
        pm.id = "occupancy-" + node.nodeId() + "-" + (++eventCounter);
        m.id = pm.id + ":0";
        pm.timestamp = now;
        pm.messages = List.of(m);
        return new EncodedMessage(pm);
    }
}
