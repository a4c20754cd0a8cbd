package io.rollcall.server.core;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One channel of one app on this node: its attachments, presence set and occupancy. Every method holds the
 * channel's own monitor (there is no global lock), which also fixes the order in which a channel's events
 * reach each connection: ATTACHED, then SYNC, then live events.
 */
public final class Channel {
    private final App app;
    private final String name;
    private final Map<Connection, Attachment> attachments = new HashMap<>();
    private final PresenceSet presence = new PresenceSet();
    private final OccupancyMetrics occupancy = new OccupancyMetrics();
    private final OccupancyEvents occupancyEvents;
    private long serial;
    private long lastActive;
    private boolean closed;
    private boolean active;
    private OccupancyMetrics.Snapshot lastObserved = OccupancyMetrics.Snapshot.EMPTY;

    Channel(App app, String name) {
        this.app = app;
        this.name = name;
        this.occupancyEvents = new OccupancyEvents(this, app.node());
        this.lastActive = app.node().clock().millis();
    }

    public String name() {
        return name;
    }

    public App app() {
        return app;
    }

    /** Opaque cursor clients keep and send back on re-attach. */
    private String nextSerial() {
        return Long.toString(++serial, 36);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Attaches (or re-attaches with new modes), then sends ATTACHED, a SYNC when members exist, and the first occupancy event. */
    synchronized boolean attach(Connection conn, AttachRequest req, boolean resumed) {
        if (closed) {
            return false;
        }
        Attachment a = attachments.get(conn);
        if (a == null) {
            a = new Attachment(conn, this);
            attachments.put(conn, a);
        } else {
            occupancy.addAttachment(a.modes, -1);
            occupancyEvents.removeSubscriber(a);
        }
        a.modes = req.grantedModes();
        a.occupancyCategory = req.occupancyCategory();
        a.params = req.params();
        occupancy.addAttachment(a.modes, +1);
        conn.attachments.put(name, a);

        boolean syncFollows = a.has(Flags.PRESENCE_SUBSCRIBE) && presence.size() > 0;
        // RESUMED only when nothing the client missed is beyond what can be replayed: never a silent gap.
        boolean continuous = resumed && conn.canReplay(name, req.channelSerial());
        ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, name);
        attached.flags = a.modes | (syncFollows ? Flags.HAS_PRESENCE : 0) | (continuous ? Flags.RESUMED : 0);
        // Always present: chat-js messages need an attach serial even on a channel with no traffic yet.
        attached.channelSerial = Long.toString(serial, 36);
        attached.params = req.params().isEmpty() ? null : req.params();
        conn.deliver(new EncodedMessage(attached));
        if (syncFollows) {
            sendSync(conn);
        }
        if (resumed) {
            // What was sent before the socket died but never arrived: newer than the client's channelSerial.
            conn.replaySince(name, req.channelSerial());
        }
        conn.releaseHeld(name);
        occupancyEvents.addSubscriber(a);
        touch();
        changed();
        return true;
    }

    /** Answers a client SYNC request with a fresh full sync. */
    synchronized void resync(Connection conn) {
        Attachment a = attachments.get(conn);
        if (a == null || !a.has(Flags.PRESENCE_SUBSCRIBE)) {
            return;
        }
        sendSync(conn);
    }

    private void sendSync(Connection conn) {
        List<PresenceMessage> members = presence.snapshot();
        int pageSize = app.node().limits().syncPageSize();
        String syncId = "s" + Long.toString(++serial, 36);
        for (int from = 0; from < members.size() || from == 0; from += pageSize) {
            int to = Math.min(members.size(), from + pageSize);
            ProtocolMessage sync = ProtocolMessage.of(Action.SYNC, name);
            sync.presence = new ArrayList<>(members.subList(from, to));
            // The cursor of the last page is empty: that is how clients know the sync is complete.
            sync.channelSerial = syncId + ':' + (to < members.size() ? Integer.toString(to) : "");
            conn.deliver(new EncodedMessage(sync));
            if (to >= members.size()) {
                break;
            }
        }
    }

    /** Detaches the connection; its members leave at once. Returns false if it was not attached. */
    synchronized boolean detach(Connection conn) {
        Attachment a = attachments.remove(conn);
        if (a == null) {
            return false;
        }
        conn.attachments.remove(name, a);
        conn.dropHeld(name);
        occupancy.addAttachment(a.modes, -1);
        occupancyEvents.removeSubscriber(a);
        leaveMembersOf(conn.id());
        touch();
        changed();
        return true;
    }

    synchronized Attachment attachment(Connection conn) {
        return attachments.get(conn);
    }

    /** Fans a MESSAGE out to subscribers: one encoding per format, shared by every recipient. */
    synchronized void deliverMessages(EncodedMessage message, String originConnectionId) {
        for (Attachment a : attachments.values()) {
            if (!a.has(Flags.SUBSCRIBE)) {
                continue;
            }
            Connection c = a.connection;
            if (!c.echo() && c.id().equals(originConnectionId)) {
                continue;
            }
            c.deliver(message);
        }
        touch();
    }

    /**
     * Applies presence events to the set and fans them out to presence subscribers, and always to the
     * originating connection (Ably RTP17a: the SDKs track their own members from these echoes).
     */
    synchronized void deliverPresence(EncodedMessage message, List<PresenceMessage> events, String originConnectionId) {
        for (PresenceMessage e : events) {
            presence.apply(e);
        }
        occupancy.setPresenceMembers(presence.size());
        List<ChannelObserver> observers = app.node().observers();
        if (!observers.isEmpty()) {
            ChannelKey key = new ChannelKey(app.id(), name);
            for (ChannelObserver o : observers) {
                o.presenceChanged(key, events);
            }
        }
        for (Attachment a : attachments.values()) {
            if (a.has(Flags.PRESENCE_SUBSCRIBE) || a.connection.id().equals(originConnectionId)) {
                a.connection.deliver(message);
            }
        }
        touch();
        changed();
    }

    /** Members leave with a synthesized LEAVE whose id does not start with their connectionId (RTP2b). */
    synchronized void leaveMembersOf(String connectionId) {
        List<PresenceMessage> gone = presence.ofConnection(connectionId);
        if (gone.isEmpty()) {
            return;
        }
        long now = app.node().clock().millis();
        List<PresenceMessage> leaves = new ArrayList<>(gone.size());
        for (PresenceMessage m : gone) {
            PresenceMessage leave = m.withAction(PresenceMessage.LEAVE);
            leave.id = "synthesized:" + connectionId + ':' + now;
            // SDKs order synthesized events by timestamp (RTP2b), and ably-java drops one that is not strictly
            // newer: a leave in the same millisecond as the enter would be lost.
            leave.timestamp = Math.max(now, m.timestamp + 1);
            leaves.add(leave);
        }
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, name);
        pm.timestamp = now;
        pm.presence = leaves;
        // Through the broker like every presence change, so every node holding the channel applies it.
        app.node().broker().publish(new ChannelKey(app.id(), name), Publication.presence(new EncodedMessage(pm), leaves, null));
    }

    /** Validation helpers for presence operations, under the same monitor as the set they read. */
    synchronized PresenceMessage member(String connectionId, String clientId) {
        return presence.get(connectionId, clientId);
    }

    synchronized int memberCount() {
        return presence.size();
    }

    public synchronized List<PresenceMessage> members() {
        return presence.snapshot();
    }

    public synchronized OccupancyMetrics.Snapshot occupancy() {
        return occupancy.snapshot();
    }

    public synchronized boolean isActive() {
        return !attachments.isEmpty() || presence.size() > 0;
    }

    synchronized String currentSerial() {
        return Long.toString(serial, 36);
    }

    /** Gives a publication the channel's next serial: the cursor clients keep for re-attach. */
    public synchronized String stampSerial(ProtocolMessage pm) {
        pm.channelSerial = nextSerial();
        return pm.channelSerial;
    }

    private void touch() {
        lastActive = app.node().clock().millis();
    }

    /** After any change: tells observers of occupancy and lifecycle changes, then the occupancy events. */
    private void changed() {
        OccupancyMetrics.Snapshot now = occupancy.snapshot();
        List<ChannelObserver> observers = app.node().observers();
        if (!observers.isEmpty()) {
            ChannelKey key = new ChannelKey(app.id(), name);
            boolean nowActive = !attachments.isEmpty() || presence.size() > 0;
            if (nowActive != active) {
                active = nowActive;
                for (ChannelObserver o : observers) {
                    o.lifecycleChanged(key, nowActive, now);
                }
            }
            if (!now.equals(lastObserved)) {
                lastObserved = now;
                for (ChannelObserver o : observers) {
                    o.occupancyChanged(key, now);
                }
            }
        }
        occupancyEvents.changed(now);
    }

    /** Called by the sweeper: closes and forgets the channel once it has been idle long enough. */
    synchronized boolean closeIfIdle(long idleBefore) {
        if (closed) {
            return true;
        }
        if (!attachments.isEmpty() || presence.size() > 0 || lastActive > idleBefore || occupancyEvents.pending()) {
            return false;
        }
        closed = true;
        return true;
    }

    /** For {@link OccupancyEvents}: runs with the monitor held. */
    Iterable<Attachment> attachmentsLocked() {
        return attachments.values();
    }

    OccupancyMetrics.Snapshot occupancyLocked() {
        return occupancy.snapshot();
    }
}
