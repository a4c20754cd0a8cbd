package io.rollcall.server.protocol;

/** A presence message (Ably TP3): an action plus the shared fields of {@link BaseMessage}. */
public final class PresenceMessage extends BaseMessage {
    public static final int ABSENT = 0;
    public static final int PRESENT = 1;
    public static final int ENTER = 2;
    public static final int LEAVE = 3;
    public static final int UPDATE = 4;

    public int action;

    public PresenceMessage copy() {
        PresenceMessage m = new PresenceMessage();
        copyInto(m);
        m.action = action;
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
