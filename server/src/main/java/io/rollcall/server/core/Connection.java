package io.rollcall.server.core;

import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;

/**
 * A client connection: identity, attachments and the outbound path. It outlives its socket: when the
 * transport drops, messages for it are buffered (bounded) until it resumes on a new socket. Its presence
 * members leave once the presence grace period ends; the connection itself is discarded once
 * {@code connectionStateTtl} ends (or the grace period, if longer) without a resume.
 */
public final class Connection {
    enum State { ACTIVE, DISCONNECTED, CLOSED }

    private final String id;
    private volatile String key;
    private final App app;
    private final Node node;
    private final boolean echo;
    private final long presenceGraceMs;
    private volatile AuthContext auth;
    private volatile Transport transport;
    /**
     * The transport while nothing is held for this connection (active, on a socket, no channel awaiting its
     * re-attach, no gap): a delivery then goes straight to it without the lock. Null otherwise; only ever set
     * under the lock, by {@link #refreshDirect}.
     */
    private volatile Transport direct;
    /** Sized for the usual one or two channels (a default table is 16 slots); it grows as channels are attached. */
    final ConcurrentMap<String, Attachment> attachments = new ConcurrentHashMap<>(2);
    final InboundRate inboundRate;
    /** The next msgSerial we expect; lower ones are retransmits after a resume, answered as the original was. */
    long nextMsgSerial;
    /** What became of recent msgSerials, for those retransmits. */
    final RecentOutcomes outcomes;
    /** The last acknowledgement in msgSerial order; each next one waits for it (see InboundProtocol). */
    volatile java.util.concurrent.CompletableFuture<Void> acks = NO_ACKS;
    /** Shared by every connection until its first acknowledgement: only ever chained from, never completed. */
    private static final java.util.concurrent.CompletableFuture<Void> NO_ACKS = java.util.concurrent.CompletableFuture.completedFuture(null);

    // Guarded by this.
    private State state = State.ACTIVE;
    /** Channel traffic held while between sockets; null while nothing is held (most connections, most of the time). */
    private ArrayDeque<EncodedMessage> resumeBuffer;
    /** Channels whose traffic is held until re-attached; the shared empty set while none is (see {@link #awaitReattach}). */
    private Set<String> awaitingReattach = java.util.Collections.emptySet();
    private boolean continuityLost;
    private ScheduledFuture<?> graceTimer;
    /** Ends the presence grace period while disconnected, when it is shorter than the connection state ttl. */
    private ScheduledFuture<?> presenceTimer;
    /** Channels whose members left while the client was away: their re-attach is not RESUMED, so it re-enters. */
    private Set<String> presenceLeft;
    private ScheduledFuture<?> authTimer;

    Connection(String id, String key, App app, Node node, AuthContext auth, boolean echo, long presenceGraceMs, Transport transport) {
        this.id = id;
        this.key = key;
        this.app = app;
        this.node = node;
        this.auth = auth;
        this.echo = echo;
        this.presenceGraceMs = presenceGraceMs;
        this.transport = transport;
        this.direct = transport;
        this.inboundRate = new InboundRate(node.limits().maxInboundRate(), node.clock().millis());
        this.outcomes = new RecentOutcomes(node.limits().outcomeMemory());
    }

    public String id() {
        return id;
    }

    public String key() {
        return key;
    }

    public App app() {
        return app;
    }

    /** A new connection key, on a recover: the old one no longer finds this connection. */
    void rekey(String next) {
        this.key = next;
    }

    public AuthContext auth() {
        return auth;
    }

    void auth(AuthContext auth) {
        this.auth = auth;
    }

    public boolean echo() {
        return echo;
    }

    /** The clientId this connection acts as: null for anonymous, "*" for wildcard. */
    public String clientId() {
        return auth.clientId();
    }

    /**
     * Queues a message for the client. Channel traffic is held back while the client is between sockets,
     * and after a resume until the client has re-attached that channel: the SDKs drop channel messages that
     * arrive before ATTACHED (RTL17), so they are released right after it.
     */
    public void deliver(EncodedMessage message) {
        // The common case, nothing held: a fan-out reaches thousands of connections, and a lock per recipient
        // is two atomic operations on memory other threads use. A transport already retired refuses (CLOSED),
        // and the message takes the locked path below like any other; a full queue is a gap, as there.
        Transport d = direct;
        if (d != null) {
            Transport.Outcome sent = d.send(message);
            if (sent == Transport.Outcome.QUEUED) {
                return;
            }
            if (sent == Transport.Outcome.FULL) {
                synchronized (this) {
                    refused(message, sent);
                }
                return;
            }
        }
        deliverLocked(message);
    }

    private synchronized void deliverLocked(EncodedMessage message) {
        // Under the connection's lock, so that choosing between the socket and the resume buffer is one step
        // against transportLost/resumeOn/replay: otherwise a message could go to a socket already given up, or
        // be held only after the resume's replay had run, and reach the client only much later.
        Transport t = transport;
        boolean hold = isReplayable(message) && (t == null || awaitingReattach.contains(message.message().channel));
        if (hold) {
            holdForResume(message);
        } else if (t != null) {
            send(t, message);
        }
    }

    /** Guarded by this. */
    private void holdForResume(EncodedMessage message) {
        if (state == State.CLOSED || continuityLost) {
            return;
        }
        if (resumeBuffer == null) {
            resumeBuffer = new ArrayDeque<>();
        }
        if (resumeBuffer.size() >= node.limits().resumeBufferMessages()) {
            // Past the bound the client must learn of the gap: its resume will fail with 80007.
            continuityLost = true;
            direct = null;
            resumeBuffer.clear();
            return;
        }
        resumeBuffer.add(message);
    }

    /**
     * The current transport refused a message (guarded by this). A full queue is a slow consumer, whose resume
     * must not hide the gap. A socket already going (dropped, its notice to the core not in yet) will hand back
     * what it still queued, ahead of this: the message is held for the resume like those.
     */
    private void refused(EncodedMessage message, Transport.Outcome outcome) {
        if (outcome == Transport.Outcome.FULL) {
            continuityLost = true;
            direct = null;
        } else if (isReplayable(message)) {
            holdForResume(message);
        }
    }

    /** Guarded by this. */
    private void send(Transport t, EncodedMessage message) {
        Transport.Outcome sent = t.send(message);
        if (sent != Transport.Outcome.QUEUED) {
            refused(message, sent);
        }
    }

    /**
     * On a continuing re-attach: resends what the channel still keeps newer than the client's channelSerial and
     * meant for this connection (what the dying socket swallowed), except what is held here to follow anyway.
     */
    synchronized void replay(List<ReplayWindow.Entry> newer) {
        Transport t = transport;
        if (newer.isEmpty() || t == null) {
            return;
        }
        java.util.Set<EncodedMessage> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (resumeBuffer != null) {
            held.addAll(resumeBuffer);
        }
        for (ReplayWindow.Entry e : newer) {
            if (!held.contains(e.message()) && (echo || !id.equals(e.origin()))) {
                t.send(e.message());
            }
        }
    }

    /** Holds every attached channel until re-attached; what never reached the old socket goes first. */
    private void holdForReattach(List<EncodedMessage> unsent) {
        for (String channel : attachments.keySet()) {
            awaitReattach(channel);
        }
        List<EncodedMessage> older = new ArrayList<>();
        for (EncodedMessage m : unsent) {
            if (isReplayable(m) && awaitingReattach.contains(m.message().channel)) {
                older.add(m);
            }
        }
        if (older.isEmpty()) {
            return;
        }
        if (resumeBuffer == null) {
            resumeBuffer = new ArrayDeque<>();
        }
        for (int i = older.size() - 1; i >= 0; i--) {
            resumeBuffer.addFirst(older.get(i));
        }
        if (resumeBuffer.size() > node.limits().resumeBufferMessages()) {
            continuityLost = true;
            direct = null;
            resumeBuffer.clear();
        }
    }

    /** Holds the channel's traffic until {@link #releaseHeld(String, List)} (a rewind being read). */
    synchronized void holdChannel(String channel) {
        awaitReattach(channel);
    }

    /** Guarded by this: after any change to what decides whether deliveries may skip the lock. */
    private void refreshDirect() {
        direct = state == State.ACTIVE && !continuityLost && awaitingReattach.isEmpty() ? transport : null;
    }

    /** Guarded by this: holds the channel's traffic, allocating the set on the first channel held. */
    private void awaitReattach(String channel) {
        if (awaitingReattach.isEmpty()) {
            awaitingReattach = new HashSet<>();
        }
        awaitingReattach.add(channel);
        direct = null;
    }

    /**
     * Guarded by this: stops holding the channel; false if it was not held. Frees the set once empty. The caller
     * refreshes {@link #direct} once what was held is out: a delivery that skipped the lock meanwhile would
     * overtake it.
     */
    private boolean stopAwaiting(String channel) {
        if (!awaitingReattach.remove(channel)) {
            return false;
        }
        if (awaitingReattach.isEmpty()) {
            awaitingReattach = java.util.Collections.emptySet();
        }
        return true;
    }

    /** After the re-ATTACHED of a channel: sends what was held for it, in order, and stops holding it. */
    synchronized void releaseHeld(String channel) {
        releaseHeld(channel, List.of());
    }

    /**
     * After an attach was answered (ATTACHED handed over, see Channel.attach): releases the channel. With no
     * socket, none took that ATTACHED (an attach answered off the socket's loop after its loss): the channel is
     * held until the client re-attaches after its resume, as the loss would have held it had it been attached.
     */
    synchronized void attachAnswered(String channel) {
        if (transport == null) {
            awaitReattach(channel);
        } else {
            releaseHeld(channel);
        }
    }

    /**
     * Sends {@code first}, then what was held for the channel, and stops holding it (unless it was let go).
     * Without a socket (it went since the ATTACHED was handed over) the channel stays held, {@code first} ahead
     * of the rest: the resume's re-attach releases it all.
     */
    synchronized void releaseHeld(String channel, List<EncodedMessage> first) {
        if (!awaitingReattach.contains(channel)) {
            return;
        }
        try {
            sendHeld(channel, first);
        } finally {
            refreshDirect();
        }
    }

    /** Guarded by this: {@link #releaseHeld}'s sends, before deliveries may skip the lock again. */
    private void sendHeld(String channel, List<EncodedMessage> first) {
        Transport t = transport;
        if (t == null) {
            if (!first.isEmpty()) {
                if (resumeBuffer == null) {
                    resumeBuffer = new ArrayDeque<>();
                }
                for (int i = first.size() - 1; i >= 0; i--) {
                    resumeBuffer.addFirst(first.get(i));
                }
            }
            return;
        }
        stopAwaiting(channel);
        for (EncodedMessage m : first) {
            send(t, m);
        }
        if (resumeBuffer == null) {
            return;
        }
        List<EncodedMessage> held = new ArrayList<>();
        for (Iterator<EncodedMessage> it = resumeBuffer.iterator(); it.hasNext(); ) {
            EncodedMessage m = it.next();
            if (channel.equals(m.message().channel)) {
                it.remove();
                held.add(m);
            }
        }
        if (resumeBuffer.isEmpty()) {
            resumeBuffer = null;
        }
        // Sent once out of the buffer: a socket refusing one (it is going) holds it there again.
        for (EncodedMessage m : held) {
            send(t, m);
        }
    }

    /** The client let go of the channel: nothing held for it will be wanted. */
    synchronized void dropHeld(String channel) {
        if (stopAwaiting(channel) && resumeBuffer != null) {
            resumeBuffer.removeIf(m -> channel.equals(m.message().channel));
            if (resumeBuffer.isEmpty()) {
                resumeBuffer = null;
            }
        }
        refreshDirect();
    }

    /**
     * Only channel traffic is kept for a resume. ACKs and NACKs are not: the client retransmits what it has
     * not had acked, and an ACK for something it no longer has pending breaks it.
     */
    private static boolean isReplayable(EncodedMessage m) {
        int action = m.message().action;
        return action == io.rollcall.server.protocol.Action.MESSAGE || action == io.rollcall.server.protocol.Action.PRESENCE;
    }


    /**
     * The socket went away without CLOSE: members stay for the presence grace period, the connection (and
     * what is held for it) for the connection state ttl, awaiting a resume.
     */
    synchronized void transportLost(Transport lost, List<EncodedMessage> unsent) {
        if (transport != lost || state != State.ACTIVE) {
            return;
        }
        transport = null;
        direct = null;
        holdForReattach(unsent);
        state = State.DISCONNECTED;
        long ttl = node.limits().connectionStateTtl().toMillis();
        if (presenceGraceMs < ttl) {
            presenceTimer = node.scheduler().schedule(() -> node.presenceExpired(this), presenceGraceMs,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        graceTimer = node.scheduler().schedule(() -> node.expire(this), Math.max(ttl, presenceGraceMs),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Still away when the grace period ended: its members on that channel leave, and its re-attach will not be RESUMED. */
    synchronized boolean presenceLeaving(String channel) {
        if (state != State.DISCONNECTED) {
            return false;
        }
        if (presenceLeft == null) {
            presenceLeft = new HashSet<>();
        }
        presenceLeft.add(channel);
        return true;
    }

    /** Whether its members on the channel left while it was away (asked once, on the re-attach). */
    synchronized boolean takePresenceLeft(String channel) {
        return presenceLeft != null && presenceLeft.remove(channel);
    }

    /**
     * Moves the connection onto a new socket. Returns false if it cannot continue without a gap, in which case
     * the caller discards it and starts a new connection. The CONNECTED message goes first, then the buffer.
     */
    private static final EncodedMessage SUPERSEDED = new EncodedMessage(ProtocolMessage.error(Action.DISCONNECTED, null,
            new io.rollcall.server.protocol.ErrorInfo(80016, 400, "Connection superseded: recovered by another client")));

    synchronized boolean resumeOn(Transport next, EncodedMessage connected, boolean recovered) {
        if (state == State.CLOSED || continuityLost) {
            return false;
        }
        Transport previous = transport;
        if (previous != null) {
            // The client reconnected before we noticed its old socket die: retire it as if it had. When another
            // client recovered this connection, the old socket is still someone's: it is told (DISCONNECTED).
            transport = null;
            direct = null;
            holdForReattach(recovered ? previous.retire(SUPERSEDED) : previous.retire());
            if (continuityLost) {
                return false;
            }
        }
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
        if (presenceTimer != null) {
            presenceTimer.cancel(false);
            presenceTimer = null;
        }
        next.send(connected);
        // Held channel traffic is released channel by channel as the client re-attaches.
        transport = next;
        state = State.ACTIVE;
        refreshDirect();
        return true;
    }

    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Marks the connection closed; returns false if it already was. */
    synchronized boolean markClosed() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        direct = null;
        if (resumeBuffer != null) {
            resumeBuffer.clear();
        }
        if (graceTimer != null) {
            graceTimer.cancel(false);
        }
        if (presenceTimer != null) {
            presenceTimer.cancel(false);
        }
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        return true;
    }

    synchronized void authTimer(ScheduledFuture<?> timer) {
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        authTimer = timer;
    }

    Transport transport() {
        return transport;
    }

    List<Attachment> attachmentList() {
        return new ArrayList<>(attachments.values());
    }
}
