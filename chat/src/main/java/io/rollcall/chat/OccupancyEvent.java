package io.rollcall.chat;

/** A room's occupancy changed: the new {@link OccupancyData}. */
public record OccupancyEvent(OccupancyEventType type, OccupancyData occupancy) {
}
