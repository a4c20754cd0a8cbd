package io.rollcall.server.protocol;

/** ProtocolMessage flag bits (Ably TR3), including the channel mode bits carried by ATTACH/ATTACHED. */
public final class Flags {
    public static final int HAS_PRESENCE = 1;
    public static final int HAS_BACKLOG = 1 << 1;
    public static final int RESUMED = 1 << 2;
    public static final int TRANSIENT = 1 << 4;
    public static final int ATTACH_RESUME = 1 << 5;
    public static final int HAS_OBJECTS = 1 << 7;

    public static final int PRESENCE = 1 << 16;
    public static final int PUBLISH = 1 << 17;
    public static final int SUBSCRIBE = 1 << 18;
    public static final int PRESENCE_SUBSCRIBE = 1 << 19;
    public static final int ANNOTATION_PUBLISH = 1 << 21;
    public static final int ANNOTATION_SUBSCRIBE = 1 << 22;
    public static final int OBJECT_SUBSCRIBE = 1 << 24;
    public static final int OBJECT_PUBLISH = 1 << 25;

    /** Every channel mode bit. */
    public static final int MODE_ALL = PRESENCE | PUBLISH | SUBSCRIBE | PRESENCE_SUBSCRIBE
            | ANNOTATION_PUBLISH | ANNOTATION_SUBSCRIBE | OBJECT_SUBSCRIBE | OBJECT_PUBLISH;
    /** Modes granted when an ATTACH asks for none (983040), as Ably does. */
    public static final int MODE_DEFAULT = PRESENCE | PUBLISH | SUBSCRIBE | PRESENCE_SUBSCRIBE;

    private Flags() {}

    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
