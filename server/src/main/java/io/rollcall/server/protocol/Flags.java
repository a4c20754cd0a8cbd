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
    /**
     * Modes asked for when an ATTACH names none, as Ably does: presence, publish, subscribe, presence_subscribe
     * and annotation_publish (3080192); what is granted is then narrowed by the capability.
     */
    public static final int MODE_DEFAULT = PRESENCE | PUBLISH | SUBSCRIBE | PRESENCE_SUBSCRIBE | ANNOTATION_PUBLISH;

    private static final String[] MODE_NAMES = {"presence", "publish", "subscribe", "presence_subscribe",
        "annotation_publish", "annotation_subscribe", "object_subscribe", "object_publish"};
    private static final int[] MODE_BITS = {PRESENCE, PUBLISH, SUBSCRIBE, PRESENCE_SUBSCRIBE,
        ANNOTATION_PUBLISH, ANNOTATION_SUBSCRIBE, OBJECT_SUBSCRIBE, OBJECT_PUBLISH};

    private Flags() {}

    /**
     * The mode bits named by a channel's {@code params.modes} ({@code "presence,subscribe"}, any case), or
     * -1 when a name is not a channel mode.
     */
    public static int parseModes(String modes) {
        int bits = 0;
        for (String name : modes.split(",")) {
            String n = name.trim().toLowerCase(java.util.Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            int i = java.util.Arrays.asList(MODE_NAMES).indexOf(n);
            if (i < 0) {
                return -1;
            }
            bits |= MODE_BITS[i];
        }
        return bits;
    }

    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
