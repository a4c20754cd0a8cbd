package io.rollcall.server.protocol;

/** A channel message (Ably TM): a name, action, serial and version plus the shared fields of {@link BaseMessage}. */
public final class Message extends BaseMessage {
    /** TM5 actions (the wire carries their index). */
    public static final int CREATE = 0;
    public static final int UPDATE = 1;
    public static final int DELETE = 2;
    public static final int SUMMARY = 4;

    public String name;
    /** Null when absent (a plain message: a create). */
    public Integer action;
    /** Set on messages of channels that version them (Chat), else null. */
    public String serial;
    /** {@code {serial, timestamp, clientId, description, metadata}} of the version, or null. */
    public com.fasterxml.jackson.databind.JsonNode version;
    /** {@code {summary: {type: ...}}} of a summary, or null. */
    public com.fasterxml.jackson.databind.JsonNode annotations;

    public Message copy() {
        Message m = new Message();
        copyInto(m);
        m.name = name;
        m.action = action;
        m.serial = serial;
        m.version = version;
        m.annotations = annotations;
        return m;
    }
}
