package io.rollcall.chat;

/**
 * A message's reactions changed.
 *
 * @param messageSerial the message's serial
 * @param reactions all the message's reactions now
 */
public record MessageReactionSummaryEvent(String messageSerial, MessageReactionSummary reactions) {
}
