package io.rollcall.server.core;

import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.PresenceMessage;
import java.util.List;

/**
 * What a {@link Broker} carries to every node that holds a channel: a MESSAGE, or PRESENCE events (with the
 * decoded events so each node can update its replica of the presence set). {@code originConnectionId} lets
 * nodes honour {@code echo=false} and echo presence back to its sender. {@code fromPeer} marks one that
 * another node published: this node restamps it with its own channel serial and leaves integrations to the
 * publishing node, so each event is reported once.
 */
public record Publication(Kind kind, EncodedMessage message, List<PresenceMessage> presence, String originConnectionId,
                          boolean fromPeer) {
    public enum Kind { MESSAGE, PRESENCE }

    public static Publication messages(EncodedMessage message, String originConnectionId) {
        return new Publication(Kind.MESSAGE, message, List.of(), originConnectionId, false);
    }

    public static Publication presence(EncodedMessage message, List<PresenceMessage> events, String originConnectionId) {
        return new Publication(Kind.PRESENCE, message, events, originConnectionId, false);
    }

    /** The same publication as received from another node. */
    public Publication asReceived() {
        return new Publication(kind, message, presence, originConnectionId, true);
    }
}
