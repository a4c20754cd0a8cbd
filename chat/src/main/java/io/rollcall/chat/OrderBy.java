package io.rollcall.chat;

/** The order of a history query. */
public enum OrderBy {
    /** Oldest message first. */
    OLDEST_FIRST("oldestFirst"),
    /** Newest message first (the default). */
    NEWEST_FIRST("newestFirst");

    private final String wireValue;

    OrderBy(String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The name other SDKs use for it.
     *
     * @return {@code "oldestFirst"} or {@code "newestFirst"}
     */
    public String wireValue() {
        return wireValue;
    }
}
