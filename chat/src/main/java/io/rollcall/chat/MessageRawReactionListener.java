package io.rollcall.chat;

/** Receives individual message reactions (see {@link MessageReactions#subscribeRaw}). */
@FunctionalInterface
public interface MessageRawReactionListener {
    /**
     * Called for each reaction added or removed.
     *
     * @param event the reaction
     */
    void onReaction(MessageReactionRawEvent event);
}
