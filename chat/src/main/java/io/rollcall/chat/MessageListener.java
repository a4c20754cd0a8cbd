package io.rollcall.chat;

/** Receives chat message events (see {@link Messages#subscribe}). */
@FunctionalInterface
public interface MessageListener {
    /**
     * Called for each message sent, updated or deleted in the room.
     *
     * @param event the event
     */
    void onEvent(ChatMessageEvent event);
}
