package io.rollcall.chat;

/** Receives reaction summaries (see {@link MessageReactions#subscribe}). */
@FunctionalInterface
public interface MessageReactionListener {
    /**
     * Called each time a message's reactions change.
     *
     * @param event the message's new summary
     */
    void onSummary(MessageReactionSummaryEvent event);
}
