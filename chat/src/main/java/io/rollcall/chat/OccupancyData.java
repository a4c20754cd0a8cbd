package io.rollcall.chat;

/** How many connections are attached to a room, and how many members its presence set holds. */
public record OccupancyData(int connections, int presenceMembers) {
}
