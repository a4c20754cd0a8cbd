package io.rollcall.chat;

/** What happened to a presence member. {@link #wireValue()} is the name the Chat SDKs use. */
public enum PresenceEventType {
    /** The user entered the room's presence set. */
    ENTER("enter"),
    /** The user left it. */
    LEAVE("leave"),
    /** The user changed their presence data. */
    UPDATE("update"),
    /** The user was already present (learnt while syncing on attach). */
    PRESENT("present");

    private final String wireValue;

    PresenceEventType(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The name the Chat SDKs use on the wire and in events.
     *
     * @return the name, for example {@code enter}
     */
    public String wireValue() {
        return wireValue;
    }
}
