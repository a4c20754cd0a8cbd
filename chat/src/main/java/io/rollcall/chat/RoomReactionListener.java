package io.rollcall.chat;

/** Receives room reactions (see {@link RoomReactions#subscribe}). */
@FunctionalInterface
public interface RoomReactionListener {
    /**
     * Called for each reaction sent to the room, this client's included.
     *
     * @param event the reaction
     */
    void onReaction(RoomReactionEvent event);
}
