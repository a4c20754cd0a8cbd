package io.rollcall.chat;

/** What the latest version of a chat message is: as sent, updated or deleted. */
public enum MessageAction {
    /** The message as sent. */
    MESSAGE_CREATE("message.create"),
    /** The message was updated. */
    MESSAGE_UPDATE("message.update"),
    /** The message was deleted. */
    MESSAGE_DELETE("message.delete");

    private final String wireValue;

    MessageAction(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The name other SDKs use for it.
     *
     * @return for example {@code "message.update"}
     */
    public String wireValue() {
        return wireValue;
    }

    /** The action of that name; an unknown one is treated as a create, as every Chat SDK does. */
    static MessageAction of(String wire) {
        for (MessageAction a : values()) {
            if (a.wireValue.equals(wire)) {
                return a;
            }
        }
        return MESSAGE_CREATE;
    }
}
