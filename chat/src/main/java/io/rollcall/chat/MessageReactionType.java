package io.rollcall.chat;

/** How a message's reactions count (see {@link MessageReactionSummary}). */
public enum MessageReactionType {
    /** One reaction per client: a new one replaces the client's previous one. */
    UNIQUE("unique", "reaction:unique.v1"),
    /** Each name at most once per client (the default). */
    DISTINCT("distinct", "reaction:distinct.v1"),
    /** Any count per client and name. */
    MULTIPLE("multiple", "reaction:multiple.v1");

    private final String wireValue;
    private final String annotationType;

    MessageReactionType(String wireValue, String annotationType) {
        this.wireValue = wireValue;
        this.annotationType = annotationType;
    }

    /**
     * The name other SDKs use for it.
     *
     * @return for example {@code "distinct"}
     */
    public String wireValue() {
        return wireValue;
    }

    /** The annotation type it travels as, e.g. {@code reaction:distinct.v1}. */
    String annotationType() {
        return annotationType;
    }
}
