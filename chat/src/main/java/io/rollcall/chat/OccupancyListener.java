package io.rollcall.chat;

/** Receives a room's occupancy events. */
@FunctionalInterface
public interface OccupancyListener {
    /**
     * Called with each occupancy event, on the client's listener executor, one at a time and in order. A listener that throws is logged; the others still run.
     *
     * @param event the event
     */
    void onEvent(OccupancyEvent event);
}
