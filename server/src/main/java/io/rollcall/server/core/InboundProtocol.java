package io.rollcall.server.core;

import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ErrorInfo;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.MessageEncoding;
import io.rollcall.server.protocol.OccupancyParam;
import io.rollcall.server.protocol.PayloadSize;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of Ably's realtime protocol: what each client ProtocolMessage does. Runs on the thread of
 * the connection's socket (one message at a time per connection) and never blocks.
 */
public final class InboundProtocol {
    private static final Logger log = LoggerFactory.getLogger(InboundProtocol.class);
    private final Node node;

    InboundProtocol(Node node) {
        this.node = node;
    }

    public void receive(Connection c, ProtocolMessage pm) {
        if (c.isClosed()) {
            return;
        }
        if (pm.channel == null && needsChannel(pm.action)) {
            // A malformed frame is the client's error: never a NullPointerException and a 50000.
            fatal(c, new ErrorInfo(40000, 400, "Malformed message: action " + pm.action + " needs a channel"));
            return;
        }
        switch (pm.action) {
            case Action.HEARTBEAT -> heartbeat(c, pm);
            case Action.CLOSE -> close(c);
            case Action.ATTACH -> attach(c, pm);
            case Action.DETACH -> detach(c, pm);
            case Action.MESSAGE -> sequenced(c, pm, this::publish);
            case Action.PRESENCE -> sequenced(c, pm, this::presence);
            case Action.SYNC -> sync(c, pm);
            case Action.AUTH -> reauth(c, pm);
            case Action.ANNOTATION -> sequenced(c, pm, this::annotate);
            case Action.OBJECT -> sequenced(c, pm, (conn, m) -> {
                throw new AblyException(40000, 400, "Objects are not supported by this server");
            });
            case Action.ACTIVATE, Action.DISCONNECT -> { /* no meaning for a server; ignored as Ably does */ }
            default -> fatal(c, new ErrorInfo(80013, 400, "Protocol error: unexpected action " + pm.action));
        }
    }

    private static boolean needsChannel(int action) {
        return switch (action) {
            case Action.ATTACH, Action.DETACH, Action.MESSAGE, Action.PRESENCE, Action.SYNC,
                    Action.ANNOTATION, Action.OBJECT -> true;
            default -> false;
        };
    }

    private void heartbeat(Connection c, ProtocolMessage pm) {
        ProtocolMessage reply = new ProtocolMessage(Action.HEARTBEAT);
        reply.id = pm.id;
        c.deliver(new EncodedMessage(reply));
    }

    private void close(Connection c) {
        Transport t = c.transport();
        node.discard(c);
        if (t != null) {
            t.sendAndClose(new EncodedMessage(new ProtocolMessage(Action.CLOSED)));
        }
    }

    /** An ERROR without a channel ends the connection: the client goes FAILED (or renews a token and retries). */
    public void fatal(Connection c, ErrorInfo error) {
        node.telemetry().error(error.code());
        log.atInfo().addKeyValue("connectionId", c.id()).addKeyValue("appId", c.app().id())
                .addKeyValue("code", error.code()).log("connection ended with an error: {}", error.message());
        Transport t = c.transport();
        node.discard(c);
        if (t != null) {
            t.sendAndClose(new EncodedMessage(ProtocolMessage.error(Action.ERROR, null, error)));
        }
    }

    private void channelError(Connection c, String channel, ErrorInfo error) {
        node.telemetry().error(error.code());
        log.atDebug().addKeyValue("connectionId", c.id()).addKeyValue("channel", channel)
                .addKeyValue("code", error.code()).log("channel error: {}", error.message());
        c.deliver(new EncodedMessage(ProtocolMessage.error(Action.ERROR, channel, error)));
    }

    // ---- channels

    private void attach(Connection c, ProtocolMessage pm) {
        String name = pm.channel;
        try {
            ChannelName.validate(name);
            AuthContext auth = c.auth();
            int requested = requestedModes(pm);
            int granted = auth.capability().grantedModes(name, requested);
            if (granted == 0) {
                throw new AblyException(40160, 401,
                        "Channel denied access based on given capability; channel = " + name);
            }
            Map<String, String> params = recognisedParams(pm.params);
            Rewind.parse(params.get("rewind"));
            String occupancy = OccupancyParam.category(params.get("occupancy"));
            if (occupancy != null && !auth.capability().permits(name, Operation.CHANNEL_METADATA)) {
                throw new AblyException(40160, 401,
                        "Occupancy events need the channel-metadata capability; channel = " + name);
            }
            if (!c.attachments.containsKey(name) && c.attachments.size() >= node.limits().maxChannelsPerConnection()) {
                throw new AblyException(90010, 400, "Maximum number of channels per connection ("
                        + node.limits().maxChannelsPerConnection() + ") exceeded");
            }
            // A repeat ATTACH of a channel this connection still holds (after a resume, or a mode change)
            // continues it: RESUMED tells the client nothing was missed.
            boolean continuing = c.attachments.containsKey(name);
            AttachRequest req = new AttachRequest(granted, occupancy, params, pm.channelSerial,
                    (pm.flags & Flags.ATTACH_RESUME) != 0);
            App app = c.app();
            while (!app.channel(name).attach(c, req, continuing)) {
                Thread.onSpinWait();
            }
            log.atDebug().addKeyValue("connectionId", c.id()).addKeyValue("channel", name).log("attached");
        } catch (AblyException e) {
            channelError(c, name, e.error());
        }
    }

    /** Channel params Ably acts on and echoes in ATTACHED; others are dropped (ably-js RTL4k1 tests). */
    private static final java.util.Set<String> CHANNEL_PARAMS = java.util.Set.of("modes", "delta", "rewind", "occupancy", "echo");

    /**
     * The modes an ATTACH asks for: {@code params.modes} when present (it wins over mode flags, as with Ably),
     * else the mode flags, else the default modes.
     */
    private static int requestedModes(ProtocolMessage pm) {
        String named = pm.params == null ? null : pm.params.get("modes");
        int requested = pm.flags & Flags.MODE_ALL;
        if (named != null) {
            requested = Flags.parseModes(named);
            if (requested < 0) {
                throw new AblyException(40000, 400, "Invalid channel param modes: '" + named + "'");
            }
        }
        return requested == 0 ? Flags.MODE_DEFAULT : requested;
    }

    private static Map<String, String> recognisedParams(Map<String, String> given) {
        if (given == null || given.isEmpty()) {
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            if (CHANNEL_PARAMS.contains(k)) {
                params.put(k, v);
            }
        });
        return params;
    }

    private void detach(Connection c, ProtocolMessage pm) {
        Attachment a = c.attachments.get(pm.channel);
        if (a != null) {
            a.channel.detach(c);
            log.atDebug().addKeyValue("connectionId", c.id()).addKeyValue("channel", pm.channel).log("detached");
        }
        c.deliver(new EncodedMessage(ProtocolMessage.of(Action.DETACHED, pm.channel)));
    }

    private void sync(Connection c, ProtocolMessage pm) {
        Attachment a = c.attachments.get(pm.channel);
        if (a != null) {
            a.channel.resync(c);
        }
    }

    // ---- sequenced operations: MESSAGE and PRESENCE are acked or nacked by msgSerial

    private interface Operation2 {
        /** Runs the operation; completes once the engine has taken it (at once with the memory engine). */
        CompletableFuture<Void> run(Connection c, ProtocolMessage pm);
    }

    /**
     * msgSerials run 0, 1, 2, ... on a connection. A lower one is a retransmit (an SDK resending what it had not had
     * acknowledged when its socket dropped): it is not run again and gets the original's answer, ACK or the same
     * NACK. A negative one, or one that skips ahead, is no SDK's: a protocol error.
     */
    private void sequenced(Connection c, ProtocolMessage pm, Operation2 op) {
        long serial = pm.msgSerial != null ? pm.msgSerial : c.nextMsgSerial;
        if (serial < 0 || serial > c.nextMsgSerial) {
            fatal(c, new ErrorInfo(80013, 400, "Protocol error: msgSerial " + serial + " where "
                    + c.nextMsgSerial + " was expected"));
            return;
        }
        if (serial < c.nextMsgSerial) {
            CompletableFuture<?> original = c.outcomes.of(serial);
            answer(c, serial, original != null ? original : CompletableFuture.failedFuture(new AblyException(40000, 400,
                    "msgSerial " + serial + " is too old a retransmit: its outcome is no longer known; not performed")));
            return;
        }
        c.nextMsgSerial = serial + 1;
        pm.msgSerial = serial;
        CompletableFuture<Void> done;
        if (!c.inboundRate.tryAcquire(node.clock().millis())) {
            c.app().meters().rateLimited();
            done = CompletableFuture.failedFuture(new AblyException(42911, 429, "Max per-connection publish rate ("
                    + node.limits().maxInboundRate() + "/s) exceeded; message rejected"));
        } else {
            try {
                done = op.run(c, pm);
            } catch (AblyException e) {
                done = CompletableFuture.failedFuture(e);
            }
        }
        c.outcomes.record(serial, done);
        answer(c, serial, done);
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * ACKs (or NACKs) once the operation is done, and always in msgSerial order, even when an engine confirms
     * later: the SDKs match acknowledgements to what they sent by serial. An ACK from the Redis engine
     * follows the write to Redis, so what a client was told is done is visible from every node.
     */
    private void answer(Connection c, long serial, CompletableFuture<?> done) {
        CompletableFuture<Throwable> outcome = done.handle((v, e) -> e);
        c.acks = c.acks.thenCombine(outcome, (previous, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null) {
                ack(c, serial);
            } else if (cause instanceof AblyException ae) {
                nack(c, serial, ae.error());
            } else {
                nack(c, serial, new ErrorInfo(50000, 500, "Internal error"));
            }
            return null;
        });
    }

    private void ack(Connection c, long serial) {
        ProtocolMessage ack = new ProtocolMessage(Action.ACK);
        ack.msgSerial = serial;
        ack.count = 1;
        c.deliver(new EncodedMessage(ack));
    }

    private void nack(Connection c, long serial, ErrorInfo error) {
        node.telemetry().error(error.code());
        ProtocolMessage nack = new ProtocolMessage(Action.NACK);
        nack.msgSerial = serial;
        nack.count = 1;
        nack.error = error;
        c.deliver(new EncodedMessage(nack));
    }

    private CompletableFuture<Void> publish(Connection c, ProtocolMessage pm) {
        String name = pm.channel;
        ChannelName.validate(name);
        if (!c.auth().capability().permits(name, Operation.PUBLISH)) {
            throw new AblyException(40160, 401, "Publish denied by capability; channel = " + name);
        }
        Attachment a = c.attachments.get(name);
        if (a != null && !a.has(Flags.PUBLISH)) {
            throw new AblyException(40160, 401, "Channel is attached without the publish mode; channel = " + name);
        }
        List<Message> messages = pm.messages == null ? List.of() : pm.messages;
        if (messages.isEmpty()) {
            throw new AblyException(40000, 400, "MESSAGE has no messages");
        }
        long size = 0;
        for (Message m : messages) {
            MessageEncoding.validate(m);
            size += PayloadSize.of(m);
        }
        if (size > node.limits().maxMessageSize()) {
            throw new AblyException(40009, 400, "Maximum message length exceeded (" + size + " bytes; limit "
                    + node.limits().maxMessageSize() + ")");
        }
        long now = node.clock().millis();
        String connClientId = c.clientId();
        ProtocolMessage out = ProtocolMessage.of(Action.MESSAGE, name);
        out.id = c.id() + ':' + pm.msgSerial;
        out.connectionId = c.id();
        out.timestamp = now;
        List<Message> stamped = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i).copy();
            m.clientId = resolveClientId(connClientId, m.clientId);
            if (m.id == null) {
                m.id = out.id + ':' + i;
            }
            m.connectionId = c.id();
            if (m.timestamp == 0) {
                m.timestamp = now;
            }
            m.extras = ChatMessages.withUserClaim(m.extras, c.auth(), name);
            stamped.add(m);
        }
        out.messages = stamped;
        // Only a channel held here has subscribers (and attach cursors) to stamp; publishing creates none.
        Channel ch = c.app().existing(name);
        if (ch != null) {
            ch.stampSerial(out);
        }
        c.app().meters().messagesIn(stamped.size());
        return node.broker().publish(new ChannelKey(c.app().id(), name), Publication.messages(new EncodedMessage(out), c.id()));
    }

    /** Annotations of messages (ably-js {@code channel.annotations.publish}): Chat reactions among them. */
    private CompletableFuture<Void> annotate(Connection c, ProtocolMessage pm) {
        String name = pm.channel;
        ChannelName.validate(name);
        Attachment a = c.attachments.get(name);
        if (a != null && !a.has(Flags.ANNOTATION_PUBLISH)) {
            throw new AblyException(40160, 401, "Channel is attached without the annotation_publish mode; channel = " + name);
        }
        List<io.rollcall.server.protocol.Annotation> in = pm.annotations == null ? List.of() : pm.annotations;
        if (in.isEmpty()) {
            throw new AblyException(40000, 400, "ANNOTATION has no annotations");
        }
        CompletableFuture<Void> done = DONE;
        for (io.rollcall.server.protocol.Annotation one : in) {
            done = done.thenCompose(v -> node.messageReactions().annotate(c.auth(), name, one));
        }
        return done;
    }

    /** A message's clientId must be the connection's, unless the connection is a wildcard. */
    private static String resolveClientId(String connClientId, String messageClientId) {
        if (messageClientId == null || messageClientId.equals(connClientId)) {
            return "*".equals(connClientId) ? messageClientId : connClientId;
        }
        if ("*".equals(connClientId)) {
            return messageClientId;
        }
        throw new AblyException(40012, 400, "Mismatched clientId: message clientId '" + messageClientId
                + "' differs from the connection's '" + connClientId + "'");
    }

    private CompletableFuture<Void> presence(Connection c, ProtocolMessage pm) {
        String name = pm.channel;
        ChannelName.validate(name);
        Attachment a = c.attachments.get(name);
        if (!c.auth().capability().permits(name, Operation.PRESENCE)) {
            throw new AblyException(40160, 401, "Presence denied by capability; channel = " + name);
        }
        if (a == null) {
            throw new AblyException(91001, 400, "Unable to enter presence channel: not attached; channel = " + name);
        }
        if (!a.has(Flags.PRESENCE)) {
            throw new AblyException(40160, 401, "Channel is attached without the presence mode; channel = " + name);
        }
        List<PresenceMessage> in = pm.presence == null ? List.of() : pm.presence;
        if (in.isEmpty()) {
            throw new AblyException(40000, 400, "PRESENCE has no presence messages");
        }
        long now = node.clock().millis();
        Channel ch = a.channel;
        ProtocolMessage out = ProtocolMessage.of(Action.PRESENCE, name);
        out.id = c.id() + ':' + pm.msgSerial;
        out.connectionId = c.id();
        out.timestamp = now;
        List<PresenceMessage> events = new ArrayList<>(in.size());
        int members = ch.memberCount();
        int held = -1; // members this connection holds across channels, counted at its first new member
        for (int i = 0; i < in.size(); i++) {
            PresenceMessage p = in.get(i).copy();
            String clientId = p.clientId == null ? c.clientId() : p.clientId;
            if (clientId == null || "*".equals(clientId)) {
                throw new AblyException(91000, 400, "Unable to enter presence channel (no clientId)");
            }
            p.clientId = resolveClientId(c.clientId(), clientId);
            MessageEncoding.validate(p);
            if (PayloadSize.ofData(p.data) > node.limits().maxPresenceDataSize()) {
                throw new AblyException(40009, 400, "Presence data exceeds the limit of "
                        + node.limits().maxPresenceDataSize() + " bytes");
            }
            p.connectionId = c.id();
            p.timestamp = now;
            p.extras = ChatMessages.withUserClaim(p.extras, c.auth(), name);
            PresenceMessage existing = ch.member(c.id(), p.clientId);
            if (existing != null && p.action != PresenceMessage.LEAVE && !isNewer(p, existing)) {
                // The SDKs re-enter their own members after a re-attach (RTP17g) carrying the member's id, which
                // may be older than an update sent since. Ordered as clients order presence (RTP2b), it changes
                // nothing: acked, not broadcast, so a resumed member neither flaps nor rolls back.
                continue;
            }
            p.id = out.id + ':' + i;
            switch (p.action) {
                case PresenceMessage.ENTER, PresenceMessage.UPDATE -> {
                    if (existing == null) {
                        if (members >= node.limits().maxPresenceMembers()) {
                            throw new AblyException(91003, 400, "Unable to enter presence channel (maximum member limit of "
                                    + node.limits().maxPresenceMembers() + " exceeded)");
                        }
                        if (held < 0) {
                            held = membersHeldBy(c);
                        }
                        if (held >= node.limits().maxPresenceMembersPerConnection()) {
                            throw new AblyException(91003, 400, "Unable to enter presence channel (this connection holds "
                                    + held + " members, the limit per connection)");
                        }
                        held++;
                        members++;
                        p.action = PresenceMessage.ENTER;
                    } else {
                        p.action = PresenceMessage.UPDATE;
                    }
                }
                case PresenceMessage.LEAVE -> {
                    if (existing == null) {
                        continue; // Leaving when not present is acked and changes nothing (RTP10d).
                    }
                    if (p.data == null) {
                        // The leave carries the member's last data (RTP8e).
                        p.data = existing.data;
                        p.encoding = existing.encoding;
                    }
                    members--;
                }
                default -> throw new AblyException(40000, 400, "Invalid presence action " + p.action);
            }
            events.add(p);
        }
        if (events.isEmpty()) {
            return DONE;
        }
        out.presence = events;
        c.app().meters().presenceIn(events.size());
        CompletableFuture<Void> published = node.broker().publish(new ChannelKey(c.app().id(), name),
                Publication.presence(new EncodedMessage(out), events, c.id()));
        // The engine hands this node its own events at once, to the channel's next presence batch: the ACK
        // waits for that batch too, so the sender's echo precedes it as before batching.
        return published.thenCombine(ch.presenceSent(), (done, echoed) -> null);
    }

    private static int membersHeldBy(Connection c) {
        int held = 0;
        for (Attachment a : c.attachments.values()) {
            held += a.channel.memberCountOf(c.id());
        }
        return held;
    }

    /**
     * Whether a client-supplied presence id is newer than the member's, comparing msgSerial then index of
     * {@code connectionId:msgSerial:index} ids. Messages without an id get a fresh (newest) one.
     */
    private static boolean isNewer(PresenceMessage incoming, PresenceMessage existing) {
        if (incoming.id == null || existing.id == null) {
            return true;
        }
        long[] in = serialAndIndex(incoming.id, incoming.connectionId);
        long[] ex = serialAndIndex(existing.id, existing.connectionId);
        if (in == null || ex == null) {
            return !incoming.id.equals(existing.id);
        }
        return in[0] > ex[0] || (in[0] == ex[0] && in[1] > ex[1]);
    }

    private static long[] serialAndIndex(String id, String connectionId) {
        if (connectionId == null || !id.startsWith(connectionId + ':')) {
            return null;
        }
        String rest = id.substring(connectionId.length() + 1);
        int colon = rest.indexOf(':');
        try {
            return colon < 0 ? new long[] {Long.parseLong(rest), 0}
                    : new long[] {Long.parseLong(rest.substring(0, colon)), Long.parseLong(rest.substring(colon + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- auth

    private void reauth(Connection c, ProtocolMessage pm) {
        if (pm.authAccessToken == null) {
            fatal(c, new ErrorInfo(40106, 401, "AUTH without an accessToken"));
            return;
        }
        AuthContext next;
        try {
            next = node.authenticator().authenticateToken(pm.authAccessToken);
        } catch (AblyException e) {
            fatal(c, e.error());
            return;
        }
        AuthContext current = c.auth();
        String currentId = current.clientId();
        String nextId = next.clientId();
        if (!next.appId().equals(current.appId())
                || (currentId != null && !"*".equals(currentId) && nextId != null && !"*".equals(nextId) && !currentId.equals(nextId))) {
            fatal(c, new ErrorInfo(40102, 401, "Incompatible credentials: the new token's clientId or app differs"));
            return;
        }
        if ((nextId == null || "*".equals(nextId)) && currentId != null && !"*".equals(currentId)) {
            try {
                next = node.authenticator().resolveClientId(next, currentId);
            } catch (AblyException e) {
                // e.g. an anonymous token cannot carry an identified connection on: the client must be told.
                fatal(c, e.error());
                return;
            }
        }
        c.auth(next);
        armTokenExpiry(c);
        c.deliver(node.connected(c, null));
    }

    /**
     * For token auth: ask the client to renew {@code tokenRenewalNotice} before expiry (AUTH), and disconnect it
     * with 40142 at expiry if it has not, so it renews and resumes.
     */
    void armTokenExpiry(Connection c) {
        long expiresAt = c.auth().expiresAt();
        if (expiresAt <= 0) {
            return;
        }
        long now = node.clock().millis();
        long askAt = expiresAt - node.limits().tokenRenewalNotice().toMillis();
        AuthContext armedFor = c.auth();
        Runnable expire = () -> {
            if (c.auth() != armedFor || c.isClosed()) {
                return;
            }
            Transport t = c.transport();
            if (t != null) {
                node.telemetry().error(40142);
                t.sendAndClose(new EncodedMessage(ProtocolMessage.error(Action.DISCONNECTED, null,
                        new ErrorInfo(40142, 401, "Token expired"))));
            }
        };
        if (askAt <= now) {
            // As Ably: a token with less than the notice left gets no AUTH, only DISCONNECTED 40142 at expiry. An
            // early AUTH would fail a client that holds just a token string (40171) while its token is still good.
            c.authTimer(node.scheduler().schedule(expire, expiresAt - now, TimeUnit.MILLISECONDS));
            return;
        }
        c.authTimer(node.scheduler().schedule(() -> {
            if (c.auth() != armedFor || c.isClosed()) {
                return;
            }
            c.deliver(new EncodedMessage(new ProtocolMessage(Action.AUTH)));
            c.authTimer(node.scheduler().schedule(expire, Math.max(0, expiresAt - node.clock().millis()), TimeUnit.MILLISECONDS));
        }, askAt - now, TimeUnit.MILLISECONDS));
    }
}
