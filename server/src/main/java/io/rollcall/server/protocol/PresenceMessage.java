package io.rollcall.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A presence message (Ably TP3). {@code data} follows the same rules as {@link Message#data}. */
public final class PresenceMessage {
    public static final int ABSENT = 0;
    public static final int PRESENT = 1;
    public static final int ENTER = 2;
    public static final int LEAVE = 3;
    public static final int UPDATE = 4;

    public String id;
    public int action;
    public String clientId;
    public String connectionId;
    public Object data;
    public String encoding;
    public JsonNode extras;
    public long timestamp;

    public PresenceMessage copy() {
        PresenceMessage m = new PresenceMessage();
        m.id = id;
        m.action = action;
        m.clientId = clientId;
        m.connectionId = connectionId;
        m.data = data;
        m.encoding = encoding;
        m.extras = extras;
        m.timestamp = timestamp;
        return m;
    }

    public PresenceMessage withAction(int newAction) {
        PresenceMessage m = copy();
        m.action = newAction;
        return m;
    }

    /** Identity of a member: one clientId on one connection. */
    public String memberKey() {
        return connectionId + ':' + clientId;
    }
}
