package io.rollcall.chat;

/**
 * A chat message sent, updated or deleted in a room.
 *
 * @param type what happened
 * @param message the message at its new version
 */
public record ChatMessageEvent(ChatMessageEventType type, Message message) {
}
