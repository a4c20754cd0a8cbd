package io.rollcall.chat;

/**
 * A room reaction arrived.
 *
 * @param reaction the reaction
 */
public record RoomReactionEvent(RoomReaction reaction) {
}
