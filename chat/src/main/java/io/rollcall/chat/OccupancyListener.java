package io.rollcall.chat;

/** Receives a room's occupancy events. */
@FunctionalInterface
public interface OccupancyListener {
    void onEvent(OccupancyEvent event);
}
