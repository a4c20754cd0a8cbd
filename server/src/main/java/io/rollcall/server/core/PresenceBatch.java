package io.rollcall.server.core;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.PayloadSize;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One channel's presence events that have been applied to its set but not yet sent: they go out together, as
 * one PRESENCE ProtocolMessage encoded once per format (Ably batches presence messages the same way), so a
 * burst of enters costs each subscriber a few frames instead of one per event. Events join the batch while
 * its send is pending; the send is never delayed by a timer. Guarded by the channel's monitor.
 *
 * <p>Each event keeps its own id, connectionId and timestamp (filled in from its own publication where it
 * had none), so an SDK reads every one of them exactly as if it had come alone.
 */
final class PresenceBatch {
    /** A publication in the batch, kept for an originator that does not subscribe to presence (its echo). */
    record Part(EncodedMessage message, String originConnectionId) {}

    /** What one send hands out. {@code message} is shared by every presence subscriber. */
    record Taken(EncodedMessage message, List<Part> parts, CompletableFuture<Void> sent) {}

    private static final CompletableFuture<Void> NOTHING_PENDING = CompletableFuture.completedFuture(null);

    private List<Part> parts = new ArrayList<>();
    private int events;
    private long dataBytes;
    private boolean sendPending;
    private CompletableFuture<Void> sent;

    boolean isEmpty() {
        return parts.isEmpty();
    }

    void add(EncodedMessage message, List<PresenceMessage> presence, String originConnectionId) {
        parts.add(new Part(message, originConnectionId));
        events += presence.size();
        for (PresenceMessage p : presence) {
            dataBytes += PayloadSize.ofData(p.data);
        }
    }

    /** Whether the batch must go now: at its bound of events, or of data (one frame stays a sensible size). */
    boolean full(int maxEvents, int maxDataBytes) {
        return events >= maxEvents || dataBytes >= maxDataBytes;
    }

    /** Marks a send as pending; true if none was, so the caller arranges one. */
    boolean markSendPending() {
        if (sendPending) {
            return false;
        }
        sendPending = true;
        return true;
    }

    /** The pending send ran (or the batch went out early): the next event arranges a new one. */
    void sendRan() {
        sendPending = false;
    }

    /** Completes once what is in the batch now has been handed out (at once if nothing is waiting). */
    CompletableFuture<Void> whenSent() {
        if (parts.isEmpty()) {
            return NOTHING_PENDING;
        }
        if (sent == null) {
            sent = new CompletableFuture<>();
        }
        return sent;
    }

    /** Empties the batch into one message. A batch of one publication goes out as it came. */
    Taken take(String channel) {
        List<Part> out = parts;
        EncodedMessage message = out.size() == 1 ? out.get(0).message() : merge(channel, out, events);
        Taken t = new Taken(message, out, sent);
        parts = new ArrayList<>();
        events = 0;
        dataBytes = 0;
        sent = null;
        return t;
    }

    private static EncodedMessage merge(String channel, List<Part> parts, int events) {
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
        List<PresenceMessage> all = new ArrayList<>(events);
        for (Part part : parts) {
            ProtocolMessage parent = part.message().message();
            List<PresenceMessage> presence = parent.presence;
            if (presence == null) {
                continue;
            }
            for (int i = 0; i < presence.size(); i++) {
                all.add(ownFields(presence.get(i), parent, i));
            }
            pm.timestamp = Math.max(pm.timestamp, parent.timestamp);
        }
        pm.presence = all;
        return new EncodedMessage(pm);
    }

    /**
     * The event with what the SDKs would have taken from its own parent (TM2a/c/f, as ably-js
     * populateFieldsFromParent does), now that the parent is shared: a copy only when something is missing.
     */
    private static PresenceMessage ownFields(PresenceMessage p, ProtocolMessage parent, int index) {
        boolean noId = p.id == null && parent.id != null;
        boolean noConnection = p.connectionId == null && parent.connectionId != null;
        boolean noTimestamp = p.timestamp == 0 && parent.timestamp != 0;
        if (!noId && !noConnection && !noTimestamp) {
            return p;
        }
        PresenceMessage q = p.copy();
        if (noId) {
            q.id = parent.id + ':' + index;
        }
        if (noConnection) {
            q.connectionId = parent.connectionId;
        }
        if (noTimestamp) {
            q.timestamp = parent.timestamp;
        }
        return q;
    }
}
