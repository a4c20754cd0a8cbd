package io.rollcall.server.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * The operations a capability grants on a resource, with Ably's wire names (ably/docs
 * {@code auth/capabilities.mdx} "Capability operations"; ably-js {@code capabilityOp}). Note Ably's name for
 * statistics is {@code stats}.
 */
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
    STATS("stats"),
    PRIVILEGED_HEADERS("privileged-headers"),
    MESSAGE_UPDATE_OWN("message-update-own"),
    MESSAGE_UPDATE_ANY("message-update-any"),
    MESSAGE_DELETE_OWN("message-delete-own"),
    MESSAGE_DELETE_ANY("message-delete-any");

    /** The wire name that grants every operation. */
    public static final String ALL = "*";

    private static final Map<String, Operation> BY_WIRE_NAME = new HashMap<>();

    static {
        for (Operation o : values()) {
            BY_WIRE_NAME.put(o.wireName, o);
        }
    }

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The operation with this wire name, or null if Ably defines none (the wildcard {@code "*"} included). */
    public static Operation fromWire(String name) {
        return name == null ? null : BY_WIRE_NAME.get(name);
    }

    /** This operation's bit in an operation mask; ordinals stay below 32. */
    int bit() {
        return 1 << ordinal();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
