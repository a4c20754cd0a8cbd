package io.rollcall.chat;

/** What happened to a chat message. */
public enum ChatMessageEventType {
    /** A message was sent. */
    CREATED("message.created"),
    /** A message was updated. */
    UPDATED("message.updated"),
    /** A message was deleted. */
    DELETED("message.deleted");

    private final String wireValue;

    ChatMessageEventType(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The name other SDKs use for it.
     *
     * @return for example {@code "message.created"}
     */
    public String wireValue() {
        return wireValue;
    }

    static ChatMessageEventType of(MessageAction action) {
        return switch (action) {
            case MESSAGE_CREATE -> CREATED;
            case MESSAGE_UPDATE -> UPDATED;
            case MESSAGE_DELETE -> DELETED;
        };
    }
}
