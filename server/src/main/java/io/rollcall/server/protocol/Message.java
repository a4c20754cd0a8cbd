package io.rollcall.server.protocol;

/** A channel message (Ably TM): a name plus the shared fields of {@link BaseMessage}. */
public final class Message extends BaseMessage {
    public String name;

    public Message copy() {
        Message m = new Message();
        copyInto(m);
        m.name = name;
        return m;
    }
}
