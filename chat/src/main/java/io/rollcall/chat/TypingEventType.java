package io.rollcall.chat;

/** Whether a client started or stopped typing. */
public enum TypingEventType {
    /** The client started typing. */
    STARTED("typing.started"),
    /** The client stopped typing (it said so, or its typing timed out). */
    STOPPED("typing.stopped");

    private final String wireValue;

    TypingEventType(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The name other SDKs use for it (and the realtime message's name).
     *
     * @return for example {@code "typing.started"}
     */
    public String wireValue() {
        return wireValue;
    }
}
