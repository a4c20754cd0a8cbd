package io.rollcall.server.protocol;

/**
 * An annotation of a message (Ably TAN): a message reaction in Chat. {@code type} names how annotations of it
 * are summarised ({@code reaction:unique.v1}, {@code reaction:distinct.v1}, {@code reaction:multiple.v1});
 * {@code messageSerial} is the annotated message's serial, {@code serial} the annotation's own.
 */
public final class Annotation extends BaseMessage {
    public static final int CREATE = 0;
    public static final int DELETE = 1;

    public int action;
    public String serial;
    public String messageSerial;
    public String type;
    public String name;
    /** For {@code multiple.v1}: how many; null when absent. */
    public Integer count;

    public Annotation copy() {
        Annotation a = new Annotation();
        copyInto(a);
        a.action = action;
        a.serial = serial;
        a.messageSerial = messageSerial;
        a.type = type;
        a.name = name;
        a.count = count;
        return a;
    }
}
