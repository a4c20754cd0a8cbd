package io.rollcall.server.core;

import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.PresenceMessage;
import java.util.List;

/**
 * What a {@link Broker} carries to every node that holds a channel: a MESSAGE, or PRESENCE events (with the
 * decoded events so each node can update its replica of the presence set). {@code originConnectionId} lets
 * nodes honour {@code echo=false} and echo presence back to its sender. {@code fromPeer} marks one that
 * another node published: this node restamps it with its own channel serial and leaves integrations to the
 * publishing node, so each event is reported once. {@code historySerial}, when the engine knows it at
 * delivery, is where the last of its messages sits in the channel's history.
 */
public record Publication(Kind kind, EncodedMessage message, List<PresenceMessage> presence, String originConnectionId,
                          boolean fromPeer, HistorySerial historySerial) {
    public enum Kind { MESSAGE, PRESENCE }

    public static Publication messages(EncodedMessage message, String originConnectionId) {
        return new Publication(Kind.MESSAGE, message, List.of(), originConnectionId, false, null);
    }

    public static Publication presence(EncodedMessage message, List<PresenceMessage> events, String originConnectionId) {
        return new Publication(Kind.PRESENCE, message, events, originConnectionId, false, null);
    }

    /** The same publication as received from another node. */
    public Publication asReceived() {
        return new Publication(kind, message, presence, originConnectionId, true, historySerial);
    }

    /** The same publication, stored in history at that serial. */
    public Publication storedAt(HistorySerial serial) {
        return new Publication(kind, message, presence, originConnectionId, fromPeer, serial);
    }

    /**
     * A publication the core has already put into history at that serial (Chat messages, whose serial is
     * their identity, are stored first): engines deliver and announce it without storing it again.
     */
    public static Publication stored(EncodedMessage message, String originConnectionId, HistorySerial serial) {
        return new Publication(Kind.MESSAGE, message, List.of(), originConnectionId, false, serial);
    }

    /**
     * What goes into the channel's history: the messages or presence events as published. Ephemeral messages
     * ({@code extras.ephemeral}, e.g. Chat typing and room reactions), reaction summaries and annotations are
     * never stored, as Ably does; nor is anything already stored.
     */
    public List<? extends io.rollcall.server.protocol.BaseMessage> items() {
        if (kind == Kind.PRESENCE) {
            return presence;
        }
        List<io.rollcall.server.protocol.Message> m = message.message().messages;
        if (m == null || historySerial != null) {
            return List.of();
        }
        for (io.rollcall.server.protocol.Message one : m) {
            if (!isStored(one)) {
                List<io.rollcall.server.protocol.Message> kept = new java.util.ArrayList<>(m.size());
                for (io.rollcall.server.protocol.Message x : m) {
                    if (isStored(x)) {
                        kept.add(x);
                    }
                }
                return kept;
            }
        }
        return m;
    }

    private static boolean isStored(io.rollcall.server.protocol.Message m) {
        if (m.action != null && m.action == io.rollcall.server.protocol.Message.SUMMARY) {
            return false;
        }
        return m.extras == null || !m.extras.path("ephemeral").asBoolean(false);
    }

    public MessageHistory.Kind historyKind() {
        return kind == Kind.PRESENCE ? MessageHistory.Kind.PRESENCE : MessageHistory.Kind.MESSAGES;
    }
}
