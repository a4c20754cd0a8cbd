package io.rollcall.server.core;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One channel of one app on this node: its attachments, presence set and occupancy. Every method holds the
 * channel's own monitor (there is no global lock), which also fixes the order in which a channel's events
 * reach each connection: ATTACHED, then SYNC, then live events.
 *
 * <p>With several nodes the presence set is a replica of the whole channel's (members of every node), and
 * occupancy adds every other node's share to this node's. A new channel is <em>seeded</em> from the engine
 * before it serves anyone: attaches and other nodes' events wait until the seed is in, so no event falls
 * between the seed and the live stream. After the engine lost its backend the channel is re-seeded while it
 * goes on serving, and subscribers are told what changed.
 */
public final class Channel {
    private final App app;
    private final String name;
    private final ChannelKey key;
    private final Map<Connection, Attachment> attachments = new HashMap<>();
    /** The attachments as arrays for the fan-out (iterating a large HashMap costs more than the delivery); null when stale. */
    private Audience audience;
    private final PresenceSet presence = new PresenceSet();
    /** Presence events applied to the set but not yet handed out; see {@link #sendPresence()}. */
    private final PresenceBatch pendingPresence = new PresenceBatch();
    private final SyncPages syncPages = new SyncPages();
    private final OccupancyMetrics occupancy = new OccupancyMetrics();
    private final OccupancyEvents occupancyEvents;
    private long serial;
    /** The newest history serial this node knows the channel has: the attach point of the next ATTACH. */
    private HistorySerial historyHead = HistorySerial.ZERO;
    /**
     * No attachment's attach point is later than this (the latest ever given; attach points only grow): a
     * message stored after it is live for every attachment, and the fan-out need not read each one's.
     */
    private HistorySerial latestCut;
    /**
     * This node's own messages already delivered here but not yet stored by the engine (Redis), oldest first:
     * beyond the attach point, yet not live for an attachment made now, so a new attachment gets them first.
     */
    private final java.util.ArrayDeque<Unstored> unstored = new java.util.ArrayDeque<>();
    /** The latest messages, for resumed re-attaches (see {@link ReplayWindow}); created on the first message. */
    private ReplayWindow recent;
    private static final int MAX_UNSTORED = 10_000;

    private record Unstored(EncodedMessage message, String originConnectionId) {}
    private long lastActive;
    private boolean closed;
    /** Whether this node has a share or members here, as last reported to the engine. */
    private boolean reportedActive;
    /** Members whose connections are this node's (the rest are other nodes'). */
    private int ownMembers;
    private OccupancyMetrics.Snapshot lastObserved = OccupancyMetrics.Snapshot.EMPTY;
    /** Other nodes' shares of the connection-based metrics, by node id. */
    private final Map<String, OccupancyMetrics.Snapshot> remoteShares = new HashMap<>();
    /** This node's share as last reported to the engine. */
    private OccupancyMetrics.Snapshot reportedShare = OccupancyMetrics.Snapshot.EMPTY;
    /** Non-null while (re-)seeding: other nodes' events, applied in order once the seed is in. */
    private List<Runnable> waiting = new ArrayList<>();
    /** Non-null while re-seeding: members and shares that live events touched meanwhile. */
    private Set<String> touchedMembers;
    private Set<String> touchedShares;
    /** Attaches that arrived while seeding, answered once the seed is in. */
    private final Map<Connection, Runnable> pendingAttaches = new LinkedHashMap<>();

    Channel(App app, String name) {
        this.app = app;
        this.name = name;
        this.key = new ChannelKey(app.id(), name);
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
        sendPresence();
        if (waiting != null) {
            pendingAttaches.put(conn, () -> {
                if (!conn.isClosed()) {
                    attach(conn, req, resumed);
                }
            });
            return true;
        }
        Attachment a = attachments.get(conn);
        boolean fresh = a == null;
        if (a == null) {
            a = new Attachment(conn, this);
            attachments.put(conn, a);
        } else {
            occupancy.addAttachment(a.modes, -1);
            occupancyEvents.removeSubscriber(a);
        }
        a.modes = req.grantedModes();
        audience = null;
        a.occupancyCategory = req.occupancyCategory();
        a.params = req.params();
        occupancy.addAttachment(a.modes, +1);
        conn.attachments.put(name, a);

        boolean syncFollows = a.has(Flags.PRESENCE_SUBSCRIBE) && presence.size() > 0;
        // The attach point: the serial counter (nothing before it was meant for this attachment, nor is
        // replayed to it) and the point in history, after the ':' of the attach serial. That serial is always
        // present: chat-js messages need one even on a channel with no traffic yet; untilAttach reads history
        // up to it (from_serial) and rewind replays up to it.
        if (fresh) {
            a.attachSerial = serial;
            a.historyCut = historyHead;
            latestCut = HistorySerial.max(latestCut, historyHead);
        }
        // RESUMED only when nothing the client missed is beyond what can be replayed: never a silent gap.
        // Nor when its members left while it was away: without RESUMED the SDK re-enters them (RTP17i).
        boolean membersLeft = conn.takePresenceLeft(name);
        boolean continuous = resumed && (recent == null || recent.covers(replayAfter(a, req.channelSerial()))) && !membersLeft;
        // rewind only on a first attach: a re-attach the client marks ATTACH_RESUME (RTL4j) continues instead.
        Rewind rewind = Rewind.parse(req.params().get("rewind"));
        boolean rewinding = rewind != null && !rewind.isNone() && fresh && !resumed && !req.attachResume()
                && a.has(Flags.SUBSCRIBE);
        HistorySerial rewindFrom = rewinding ? rewindFrom(rewind) : null;
        // HAS_BACKLOG (RTL2i) when history holds something the rewind reaches (as far as this node knows).
        boolean backlog = rewinding && a.historyCut.compareTo(rewindFrom) >= 0 && !HistorySerial.ZERO.equals(a.historyCut);
        ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, name);
        attached.flags = a.modes | (syncFollows ? Flags.HAS_PRESENCE : 0) | (continuous ? Flags.RESUMED : 0)
                | (backlog ? Flags.HAS_BACKLOG : 0);
        attached.channelSerial = Long.toString(serial, 36) + ':' + a.historyCut;
        attached.params = req.params().isEmpty() ? null : req.params();
        // ATTACHED, what follows it, and the release of the channel's held traffic go to one socket, as one step
        // against its loss or replacement (transportLost, resumeOn). An attach can be answered off the socket's
        // event loop (on Redis, once the channel's seed is in, on the engine's thread): its release must not undo
        // the hold that a loss in between put on the channel for the resume's re-attach, which let traffic out
        // before that ATTACHED (the SDKs drop it, RTL17) and left what was held meanwhile held past it.
        synchronized (conn) {
            conn.deliver(new EncodedMessage(attached));
            if (syncFollows) {
                sendSync(conn);
            }
            if (resumed) {
                // What was sent before the socket died but never arrived: newer than the client's channelSerial.
                conn.replay(replayFor(a, req.channelSerial()));
            }
            conn.attachAnswered(name);
        }
        List<EncodedMessage> inFlight = fresh && a.has(Flags.SUBSCRIBE) ? unstoredFor(conn) : List.of();
        if (rewinding) {
            rewind(conn, rewind, rewindFrom, a.historyCut, inFlight);
        } else {
            inFlight.forEach(conn::deliver);
        }
        occupancyEvents.addSubscriber(a);
        touch();
        changed();
        return true;
    }

    /** The serial after which a resumed attachment may have missed messages: its client's, or its attach. */
    private static long replayAfter(Attachment a, String clientSerial) {
        return Math.max(a.attachSerial, ReplayWindow.seen(clientSerial));
    }

    /** What of the replay window the attachment had live (the same rules as {@link #deliverMessages}). */
    private List<ReplayWindow.Entry> replayFor(Attachment a, String clientSerial) {
        if (recent == null || !a.has(Flags.SUBSCRIBE)) {
            return List.of();
        }
        List<ReplayWindow.Entry> out = recent.newerThan(replayAfter(a, clientSerial));
        out.removeIf(e -> e.stored() != null && a.historyCut != null && e.stored().compareTo(a.historyCut) <= 0);
        return out;
    }

    /**
     * Delivers the messages up to the attach point that the rewind param asks for, right after ATTACHED: live
     * messages wait meanwhile, and follow them (those up to the attach point are not delivered live).
     */
    private HistorySerial rewindFrom(Rewind rewind) {
        return rewind.millis() > 0 ? HistorySerial.atStartOf(app.node().clock().millis() - rewind.millis()) : HistorySerial.ZERO;
    }

    private void rewind(Connection conn, Rewind rewind, HistorySerial from, HistorySerial cut, List<EncodedMessage> inFlight) {
        conn.holdChannel(name);
        app.node().history().query(key, MessageHistory.Kind.MESSAGES, new HistoryQuery(from, cut, false, rewind.count()))
                .whenComplete((entries, error) -> {
                    List<EncodedMessage> out = new ArrayList<>();
                    if (entries != null) {
                        for (int i = entries.size() - 1; i >= 0; i--) {
                            io.rollcall.server.protocol.Message m = (io.rollcall.server.protocol.Message) entries.get(i).readable();
                            ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, name);
                            pm.connectionId = m.connectionId;
                            pm.timestamp = m.timestamp;
                            pm.messages = List.of(m);
                            out.add(new EncodedMessage(pm));
                        }
                    }
                    out.addAll(inFlight);
                    conn.releaseHeld(name, out);
                });
    }

    /** An own publication delivered before the engine stored it is now in history at that serial (or never will be). */
    synchronized void historyStored(EncodedMessage message, HistorySerial stored) {
        historyHead = HistorySerial.max(historyHead, stored);
        unstored.removeIf(u -> u.message() == message);
    }

    /** What a new attachment of that connection must get of the messages not yet stored. */
    private List<EncodedMessage> unstoredFor(Connection conn) {
        if (unstored.isEmpty()) {
            return List.of();
        }
        List<EncodedMessage> out = new ArrayList<>(unstored.size());
        for (Unstored u : unstored) {
            if (conn.echo() || !conn.id().equals(u.originConnectionId())) {
                out.add(u.message());
            }
        }
        return out;
    }

    synchronized void seed(ChannelState state, HistorySerial head) {
        historyHead = HistorySerial.max(historyHead, head);
        seed(state);
    }

    /**
     * Takes in what the other nodes hold, before anyone is served: applies the seed (a null state: the engine
     * could not answer, and a later re-seed will tell), replays the events that waited, then answers the
     * waiting attaches. Events that waited may already be in the seed: replayed in order, they change nothing.
     */
    synchronized void seed(ChannelState state) {
        if (state != null) {
            String self = app.node().nodeId();
            for (PresenceMessage m : state.members()) {
                if (!Node.owns(self, m.connectionId)) {
                    presence.apply(m);
                }
            }
            occupancy.setPresenceMembers(presence.size());
            state.occupancy().forEach((node, share) -> {
                if (!node.equals(self)) {
                    remoteShares.put(node, share);
                }
            });
        }
        List<Runnable> replay = waiting;
        waiting = null;
        if (replay != null) {
            replay.forEach(Runnable::run);
        }
        // What other nodes held before this one came is not news: only what changes from here on is.
        lastObserved = occupancyLocked();
        changed();
        List<Runnable> attaches = new ArrayList<>(pendingAttaches.values());
        pendingAttaches.clear();
        for (Runnable attach : attaches) {
            attach.run();
        }
    }

    /**
     * Re-reads what the other nodes hold, after the engine may have missed events, and tells subscribers what
     * changed. The channel goes on serving meanwhile: a member or share that a live event touches while the
     * read is under way is newer than the read, so the read leaves it alone.
     */
    synchronized void reseed() {
        if (closed || waiting != null || touchedMembers != null) {
            return;
        }
        touchedMembers = new HashSet<>();
        touchedShares = new HashSet<>();
        app.node().broker().state(key).whenComplete((state, error) -> reconcile(error == null ? state : null));
    }

    private synchronized void reconcile(ChannelState state) {
        Set<String> members = touchedMembers;
        Set<String> shares = touchedShares;
        if (state != null && members != null) {
            String self = app.node().nodeId();
            // Members found gone were lost with their node while the engine was away: integrations hear of
            // their leaves from here (each node that holds the channel tells: at least once).
            replaceMembers(m -> !Node.owns(self, m.connectionId) && !members.contains(m.memberKey()),
                    state.members(), true);
            remoteShares.keySet().removeIf(node -> !shares.contains(node) && !state.occupancy().containsKey(node));
            state.occupancy().forEach((node, share) -> {
                if (!node.equals(self) && !shares.contains(node)) {
                    remoteShares.put(node, share);
                }
            });
        }
        touchedMembers = null;
        touchedShares = null;
        changed();
    }

    /** Another node's share of the occupancy metrics; null once it has none. */
    synchronized void remoteShare(String nodeId, OccupancyMetrics.Snapshot share) {
        if (waiting != null) {
            waiting.add(() -> remoteShare(nodeId, share));
            return;
        }
        if (touchedShares != null) {
            touchedShares.add(nodeId);
        }
        if (share == null || share.withPresenceMembers(0).equals(OccupancyMetrics.Snapshot.EMPTY)) {
            remoteShares.remove(nodeId);
        } else {
            remoteShares.put(nodeId, share);
        }
        changed();
    }

    /** A node's full member list on this channel: members of it not listed leave, listed ones enter or update. */
    synchronized void refresh(String nodeId, List<PresenceMessage> members) {
        if (waiting != null) {
            waiting.add(() -> refresh(nodeId, members));
            return;
        }
        replaceMembers(m -> Node.owns(nodeId, m.connectionId), members, false);
    }

    /**
     * A node is gone: its members leave and its share stops counting. Integrations hear of the leaves from the
     * engine, which records them on every channel of the dead node in the same step that deletes them.
     */
    synchronized void nodeGone(String nodeId, boolean reapedHere) {
        if (waiting != null) {
            waiting.add(() -> nodeGone(nodeId, reapedHere));
            return;
        }
        remoteShares.remove(nodeId);
        if (touchedShares != null) {
            touchedShares.add(nodeId);
        }
        if (reapedHere) {
            // The leaves of a dead node's members go into presence history once: from the node that reaped it.
            long now = app.node().clock().millis();
            List<PresenceMessage> leaves = new ArrayList<>();
            for (PresenceMessage m : presence.snapshot()) {
                if (Node.owns(nodeId, m.connectionId)) {
                    leaves.add(synthesizedLeave(m, now));
                }
            }
            if (!leaves.isEmpty()) {
                app.node().history().append(key, MessageHistory.Kind.PRESENCE, leaves);
            }
        }
        replaceMembers(m -> Node.owns(nodeId, m.connectionId), List.of(), false);
        changed();
    }

    /**
     * Makes the members selected by {@code owned} exactly {@code wanted}, telling subscribers what changed:
     * a synthesized LEAVE for each one gone, ENTER or UPDATE for each one new or different. With
     * {@code reportLeaves}, integrations hear of the LEAVEs (only: the rest their own nodes report).
     */
    private void replaceMembers(Predicate<PresenceMessage> owned, List<PresenceMessage> wanted, boolean reportLeaves) {
        Map<String, PresenceMessage> want = new LinkedHashMap<>();
        for (PresenceMessage m : wanted) {
            if (owned.test(m)) {
                want.put(m.memberKey(), m);
            }
        }
        long now = app.node().clock().millis();
        List<PresenceMessage> events = new ArrayList<>();
        for (PresenceMessage m : presence.snapshot()) {
            if (owned.test(m) && !want.containsKey(m.memberKey())) {
                events.add(synthesizedLeave(m, now));
            }
        }
        for (PresenceMessage w : want.values()) {
            PresenceMessage existing = presence.get(w.connectionId, w.clientId);
            if (existing == null) {
                events.add(w.withAction(PresenceMessage.ENTER));
            } else if (!Objects.equals(existing.id, w.id) || existing.timestamp != w.timestamp) {
                events.add(w.withAction(PresenceMessage.UPDATE));
            }
        }
        if (events.isEmpty()) {
            return;
        }
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, name);
        pm.timestamp = now;
        pm.presence = events;
        deliverPresence(new EncodedMessage(pm), events, null, true);
        if (reportLeaves) {
            List<PresenceMessage> leaves = events.stream().filter(e -> e.action == PresenceMessage.LEAVE).toList();
            if (!leaves.isEmpty()) {
                for (ChannelObserver o : app.node().observers()) {
                    o.presenceChanged(key, leaves);
                }
            }
        }
    }

    /** Answers a client SYNC request with a fresh full sync. */
    synchronized void resync(Connection conn) {
        sendPresence();
        Attachment a = attachments.get(conn);
        if (a == null || !a.has(Flags.PRESENCE_SUBSCRIBE)) {
            return;
        }
        sendSync(conn);
    }

    private void sendSync(Connection conn) {
        List<EncodedMessage> pages = syncPages.at(presence.version());
        if (pages == null) {
            pages = syncOf(presence.snapshot());
            syncPages.keep(presence.version(), pages);
        }
        for (EncodedMessage page : pages) {
            conn.deliver(page);
        }
    }

    /** The pages of a SYNC of these members: one sync id for all (joiners may share them, see SyncPages). */
    private List<EncodedMessage> syncOf(List<PresenceMessage> members) {
        int pageSize = app.node().limits().syncPageSize();
        String syncId = "s" + Long.toString(++serial, 36);
        List<EncodedMessage> pages = new ArrayList<>(members.size() / pageSize + 1);
        for (int from = 0; from < members.size() || from == 0; from += pageSize) {
            int to = Math.min(members.size(), from + pageSize);
            ProtocolMessage sync = ProtocolMessage.of(Action.SYNC, name);
            sync.presence = new ArrayList<>(members.subList(from, to));
            // The cursor of the last page is empty: that is how clients know the sync is complete.
            sync.channelSerial = syncId + ':' + (to < members.size() ? Integer.toString(to) : "");
            pages.add(new EncodedMessage(sync));
            if (to >= members.size()) {
                break;
            }
        }
        return pages;
    }

    /** Detaches the connection; its members leave at once. Returns false if it was not attached. */
    synchronized boolean detach(Connection conn) {
        sendPresence();
        Attachment a = attachments.remove(conn);
        audience = null;
        if (a == null) {
            return pendingAttaches.remove(conn) != null;
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

    /**
     * Fans a MESSAGE out to subscribers: one encoding per format, shared by every recipient. Another node's
     * message takes this node's next channel serial first (not yet encoded, so nothing is encoded twice).
     * {@code storing}: an own publication the engine is still writing to history (known once it reports it).
     */
    synchronized void deliverMessages(EncodedMessage message, String originConnectionId, boolean fromPeer,
                                      HistorySerial stored, boolean storing) {
        sendPresence();
        if (fromPeer) {
            stampSerial(message.message(), stored);
        }
        if (stored != null) {
            historyHead = HistorySerial.max(historyHead, stored);
        } else if (!fromPeer && storing) {
            // Only what the engine is still storing: ephemeral messages, summaries and annotations never will be.
            if (unstored.size() >= MAX_UNSTORED) {
                unstored.pollFirst();
            }
            unstored.addLast(new Unstored(message, originConnectionId));
        }
        // Kept only while someone is attached (a connection away for a resume keeps its attachment).
        if (message.message().action == Action.MESSAGE && message.message().channelSerial != null && !attachments.isEmpty()) {
            if (recent == null) {
                recent = new ReplayWindow(app.node().limits().replayMessages());
            }
            recent.add(message, stored, originConnectionId);
        }
        // Annotations (Chat's raw reactions) go only to those that asked for them.
        int mode = message.message().action == Action.ANNOTATION ? Flags.ANNOTATION_SUBSCRIBE : Flags.SUBSCRIBE;
        Audience to = audience;
        if (to == null) {
            audience = to = Audience.of(attachments.values());
        }
        Connection noEcho = to.withoutEcho(originConnectionId);
        // Per recipient only what must be: at 10,000 recipients each object reached is a cache miss.
        boolean cutsBehind = stored == null || latestCut == null || stored.compareTo(latestCut) > 0;
        FanOutScope scope = app.node().fanOutScope();
        scope.begin();
        try {
            if (cutsBehind) {
                for (Connection c : to.receiving(mode)) {
                    if (c != noEcho) {
                        c.deliver(message);
                    }
                }
            } else {
                // Stored at or before some attachment's attach point (a message racing an attach): each one's.
                for (Attachment a : to.all) {
                    if (!a.has(mode) || a.connection == noEcho) {
                        continue;
                    }
                    if (a.historyCut != null && stored.compareTo(a.historyCut) <= 0) {
                        continue; // before its attach point: history (rewind, untilAttach) has it
                    }
                    a.connection.deliver(message);
                }
            }
        } finally {
            scope.end();
        }
        touch();
    }

    /**
     * Applies presence events to the set and queues them for presence subscribers, and always for the
     * originating connection (Ably RTP17a: the SDKs track their own members from these echoes).
     */
    synchronized void deliverPresence(EncodedMessage message, List<PresenceMessage> events, String originConnectionId,
                                      boolean fromPeer) {
        if (fromPeer && waiting != null) {
            waiting.add(() -> deliverPresence(message, events, originConnectionId, true));
            return;
        }
        String self = app.node().nodeId();
        for (PresenceMessage e : events) {
            PresenceMessage before = presence.apply(e);
            if (Node.owns(self, e.connectionId)) {
                boolean leaving = e.action == PresenceMessage.LEAVE || e.action == PresenceMessage.ABSENT;
                if (leaving && before != null) {
                    ownMembers--;
                } else if (!leaving && before == null) {
                    ownMembers++;
                }
            }
            if (touchedMembers != null) {
                touchedMembers.add(e.memberKey());
            }
        }
        occupancy.setPresenceMembers(presence.size());
        List<ChannelObserver> observers = app.node().observers();
        // Integrations hear of an event on the node where it happened, so a cluster reports it once.
        if (!observers.isEmpty() && !fromPeer) {
            for (ChannelObserver o : observers) {
                o.presenceChanged(key, events);
            }
        }
        pendingPresence.add(message, events, originConnectionId);
        io.rollcall.server.config.Limits limits = app.node().limits();
        if (pendingPresence.full(limits.presenceBatchMessages(), limits.maxMessageSize())) {
            sendPresence();
        } else if (pendingPresence.markSendPending()) {
            try {
                app.node().presenceSender().execute(this::sendPendingPresence);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                pendingPresence.sendRan();
                sendPresence();
            }
        }
        touch();
        changed();
    }

    /**
     * The send arranged by the first event of a batch: runs as soon as a thread is free, with every event
     * that arrived meanwhile. Under light load that is at once, one event per batch; under a burst the batch
     * grows while the previous one is being handed out.
     */
    private synchronized void sendPendingPresence() {
        pendingPresence.sendRan();
        sendPresence();
    }

    /**
     * Hands out the pending presence events as one message: to presence subscribers, and to an originator that
     * is not one, its own events as it published them. Runs before anything else this channel sends (ATTACHED,
     * SYNC, messages, occupancy, a detach), so each recipient sees events in the order it always did and the
     * recipients are those attached when the events happened. Then acknowledgements waiting for the echo go.
     * Runs with the monitor held.
     */
    void sendPresence() {
        if (pendingPresence.isEmpty()) {
            return;
        }
        PresenceBatch.Taken batch = pendingPresence.take(name);
        FanOutScope scope = app.node().fanOutScope();
        scope.begin();
        try {
            handOut(batch);
        } finally {
            scope.end();
        }
        if (batch.sent() != null) {
            // Only acknowledgements wait on it (see presenceSent): they take just their connection's lock.
            batch.sent().complete(null);
        }
    }

    /** Guarded by this: a presence batch to presence subscribers, and to other originators their own events. */
    private void handOut(PresenceBatch.Taken batch) {
        Map<String, List<EncodedMessage>> echoes = null;
        for (Attachment a : attachments.values()) {
            if (a.has(Flags.PRESENCE_SUBSCRIBE)) {
                a.connection.deliver(batch.message());
                continue;
            }
            if (echoes == null) {
                echoes = new HashMap<>();
                for (PresenceBatch.Part part : batch.parts()) {
                    if (part.originConnectionId() != null) {
                        echoes.computeIfAbsent(part.originConnectionId(), id -> new ArrayList<>()).add(part.message());
                    }
                }
            }
            List<EncodedMessage> own = echoes.get(a.connection.id());
            if (own != null) {
                own.forEach(a.connection::deliver);
            }
        }
    }

    /**
     * Completes once the presence events this channel holds now have been handed out: an originator's ACK
     * follows its echo (the SDKs know their own members from the echo, RTP17).
     */
    synchronized java.util.concurrent.CompletableFuture<Void> presenceSent() {
        return pendingPresence.whenSent();
    }

    synchronized boolean hasMembersOf(String connectionId) {
        return !presence.ofConnection(connectionId).isEmpty();
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
            leaves.add(synthesizedLeave(m, now));
        }
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, name);
        pm.timestamp = now;
        pm.presence = leaves;
        // Through the broker like every presence change, so every node holding the channel applies it.
        app.node().broker().publish(key, Publication.presence(new EncodedMessage(pm), leaves, null));
    }

    /** A member's synthesized LEAVE at {@code now}: the same member and time give the same message. */
    public static PresenceMessage synthesizedLeave(PresenceMessage m, long now) {
        PresenceMessage leave = m.withAction(PresenceMessage.LEAVE);
        leave.id = "synthesized:" + m.connectionId + ':' + now;
        // SDKs order synthesized events by timestamp (RTP2b), and ably-java drops one that is not strictly
        // newer: a leave in the same millisecond as the enter would be lost.
        leave.timestamp = Math.max(now, m.timestamp + 1);
        return leave;
    }

    /** Validation helpers for presence operations, under the same monitor as the set they read. */
    synchronized PresenceMessage member(String connectionId, String clientId) {
        return presence.get(connectionId, clientId);
    }

    synchronized int memberCount() {
        return presence.size();
    }

    /** Members one connection holds here (several when it is a wildcard connection). */
    synchronized int memberCountOf(String connectionId) {
        return presence.countOf(connectionId);
    }

    public synchronized List<PresenceMessage> members() {
        return presence.snapshot();
    }

    /** The channel's metrics across every node. */
    public synchronized OccupancyMetrics.Snapshot occupancy() {
        return occupancyLocked();
    }

    /** Whether the channel is active on any node. */
    public synchronized boolean isActive() {
        return isActiveLocked();
    }

    private boolean isActiveLocked() {
        if (!attachments.isEmpty() || presence.size() > 0) {
            return true;
        }
        for (OccupancyMetrics.Snapshot s : remoteShares.values()) {
            if (!s.isIdle()) {
                return true;
            }
        }
        return false;
    }

    /** Members and shares as a {@link ChannelState} (this node's share under its own id). */
    synchronized ChannelState state() {
        Map<String, OccupancyMetrics.Snapshot> shares = new HashMap<>(remoteShares);
        shares.put(app.node().nodeId(), occupancy.snapshot().withPresenceMembers(0));
        return new ChannelState(presence.snapshot(), shares);
    }

    /** True once the seed is in: the replica then speaks for the whole channel. */
    synchronized boolean isSeeded() {
        return waiting == null;
    }

    /** This node's own members and share, for re-registering with the engine. */
    synchronized Broker.ChannelShare share() {
        String self = app.node().nodeId();
        List<PresenceMessage> own = new ArrayList<>();
        for (PresenceMessage m : presence.snapshot()) {
            if (Node.owns(self, m.connectionId)) {
                own.add(m);
            }
        }
        return new Broker.ChannelShare(key, own, occupancy.snapshot().withPresenceMembers(0));
    }

    synchronized String currentSerial() {
        return Long.toString(serial, 36);
    }

    /** Gives a publication the channel's next serial: the cursor clients keep for re-attach. */
    public synchronized String stampSerial(ProtocolMessage pm) {
        return stampSerial(pm, null);
    }

    /**
     * The same, with the publication's place in history after the ':' as in attach serials: where it is stored
     * ({@code stored}), or for what is not stored (yet) the newest history this node has delivered. So any
     * channelSerial a client holds bounds history too (Chat's historyBeforeSubscribe sends the latest as
     * fromSerial, whether it came with a message, a typing event or a reaction summary).
     */
    public synchronized String stampSerial(ProtocolMessage pm, HistorySerial stored) {
        pm.channelSerial = nextSerial() + ':' + (stored == null ? historyHead : stored);
        return pm.channelSerial;
    }

    private void touch() {
        lastActive = app.node().clock().millis();
    }

    /**
     * After any change: reports this node's share and activity to the engine, tells observers of occupancy
     * changes, then the occupancy events. One node per channel tells the observers, so a cluster reports each
     * reading once, from one place, in order: of the nodes with a share of the channel, the one with the
     * lowest id (every node agrees on that once shares have spread). Lifecycle changes, and the last reading
     * of a channel going idle, are reported where the engine saw the channel's activity flip
     * ({@link #activityFlipped}): that is decided in one place for the whole cluster.
     */
    private void changed() {
        OccupancyMetrics.Snapshot local = occupancy.snapshot();
        OccupancyMetrics.Snapshot share = local.withPresenceMembers(0);
        boolean activeHere = !share.equals(OccupancyMetrics.Snapshot.EMPTY) || ownMembers > 0;
        if (!share.equals(reportedShare)) {
            reportedShare = share;
            app.node().broker().occupancyChanged(key, share);
        }
        if (activeHere != reportedActive) {
            reportedActive = activeHere;
            app.node().broker().activityChanged(key, activeHere);
        }
        OccupancyMetrics.Snapshot now = withRemoteShares(local);
        if (!now.equals(lastObserved)) {
            lastObserved = now;
            if (activeHere && reportsForCluster()) {
                for (ChannelObserver o : app.node().observers()) {
                    o.occupancyChanged(key, now);
                }
            }
        }
        occupancyEvents.changed(now);
    }

    private boolean reportsForCluster() {
        String self = app.node().nodeId();
        for (String node : remoteShares.keySet()) {
            if (node.compareTo(self) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The engine saw this node's write make the channel active, or idle, across the whole deployment: this
     * node tells the observers (opened with the current reading; closed with the final, empty one).
     */
    synchronized void activityFlipped(boolean nowActive) {
        OccupancyMetrics.Snapshot reading = nowActive ? occupancyLocked() : OccupancyMetrics.Snapshot.EMPTY;
        app.node().reportActivity(key, nowActive, reading);
    }

    /** Called by the sweeper: closes and forgets the channel once it has been idle long enough. */
    synchronized boolean closeIfIdle(long idleBefore) {
        if (closed) {
            return true;
        }
        sendPresence();
        syncPages.forget();
        // Other nodes' members do not keep it: without attachments here, this node need not follow the channel.
        if (!attachments.isEmpty() || waiting != null || !pendingAttaches.isEmpty() || ownMembers > 0
                || lastActive > idleBefore || occupancyEvents.pending()) {
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
        return withRemoteShares(occupancy.snapshot());
    }

    private OccupancyMetrics.Snapshot withRemoteShares(OccupancyMetrics.Snapshot local) {
        OccupancyMetrics.Snapshot total = local;
        for (OccupancyMetrics.Snapshot s : remoteShares.values()) {
            total = total.plus(s.withPresenceMembers(0));
        }
        return total;
    }
}
