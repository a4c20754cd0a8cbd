package io.rollcall.chat;

/**
 * A room's occupancy changed.
 *
 * @param type the kind of event (always {@link OccupancyEventType#UPDATED})
 * @param occupancy the new occupancy
 */
public record OccupancyEvent(OccupancyEventType type, OccupancyData occupancy) {
}
