package io.rollcall.chat;

/** The kind of occupancy event; {@link #wireValue()} is {@code occupancy.updated}. */
public enum OccupancyEventType {
    /** The occupancy changed; the wire value is {@code occupancy.updated}. */
    UPDATED("occupancy.updated");

    private final String wireValue;

    OccupancyEventType(String wireValue) {
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
