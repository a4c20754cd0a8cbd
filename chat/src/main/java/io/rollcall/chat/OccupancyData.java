package io.rollcall.chat;

/**
 * How many connections are attached to a room, and how many members its presence set holds.
 *
 * @param connections the number of connections attached to the room
 * @param presenceMembers the number of members in the room's presence set
 */
public record OccupancyData(int connections, int presenceMembers) {
}
