package io.rollcall.server.auth;

/** The operations a capability grants on a resource (Ably's capability operation names). */
public enum Operation {
    PUBLISH("publish"),
    SUBSCRIBE("subscribe"),
    PRESENCE("presence"),
    HISTORY("history"),
    CHANNEL_METADATA("channel-metadata"),
    ANNOTATION_PUBLISH("annotation-publish"),
    ANNOTATION_SUBSCRIBE("annotation-subscribe"),
    OBJECT_PUBLISH("object-publish"),
    OBJECT_SUBSCRIBE("object-subscribe"),
    PUSH_SUBSCRIBE("push-subscribe"),
    PUSH_ADMIN("push-admin"),
    STATISTICS("statistics"),
    PRIVILEGED_HEADERS("privileged-headers"),
    MESSAGE_UPDATE_OWN("message-update-own"),
    MESSAGE_UPDATE_ANY("message-update-any"),
    MESSAGE_DELETE_OWN("message-delete-own"),
    MESSAGE_DELETE_ANY("message-delete-any");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Operation fromWire(String name) {
        for (Operation o : values()) {
            if (o.wireName.equals(name)) {
                return o;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
