package io.rollcall.chat;

/** The kind of occupancy event; {@link #wireValue()} is {@code occupancy.updated}. */
public enum OccupancyEventType {
    UPDATED("occupancy.updated");

    private final String wireValue;

    OccupancyEventType(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The name the Chat SDKs use on the wire and in events. */
    public String wireValue() {
        return wireValue;
    }
}
