package io.rollcall.chat;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A chat message, at one of its versions. Metadata and headers are JSON values in the Java form given on
 * {@link Presence} ("Presence data"): unmodifiable maps and lists, strings, numbers, booleans.
 *
 * @param serial the message's serial: unique in the room, and messages order by it as strings in send order
 * @param clientId who sent it
 * @param text its text (empty for a deleted message)
 * @param timestamp when it was first sent
 * @param metadata the sender's metadata (unmodifiable, possibly empty)
 * @param headers the sender's headers (unmodifiable, possibly empty)
 * @param userClaim the sender's (or updater's) JWT room claim, or null
 * @param action whether this version is the original, an update or a delete
 * @param version this version
 * @param reactions the message's reactions (empty in realtime events; history and {@code get} give them)
 */
public record Message(String serial, String clientId, String text, Instant timestamp, Map<String, Object> metadata,
                      Map<String, Object> headers, String userClaim, MessageAction action, MessageVersion version,
                      MessageReactionSummary reactions) {

    /**
     * This message brought up to date with another version of it: the newer of the two (by version serial),
     * keeping this one's reactions, as @ably/chat's {@code message.with} does. Lets a list of messages
     * follow update and delete events.
     *
     * @param other another version of this message (same serial), e.g. from an event or {@code get}
     * @return the newer version, with this message's reactions
     * @throws NullPointerException if {@code other} is null
     * @throws IllegalArgumentException if {@code other} is a different message
     */
    public Message with(Message other) {
        Objects.requireNonNull(other, "other must not be null");
        if (!other.serial.equals(serial)) {
            throw new IllegalArgumentException("cannot apply message " + other.serial + " to message " + serial);
        }
        if (version.serial().compareTo(other.version.serial()) >= 0) {
            return this;
        }
        return new Message(serial, other.clientId, other.text, other.timestamp, other.metadata, other.headers,
                other.userClaim, other.action, other.version, reactions);
    }

    /**
     * This message with the reactions of a summary event.
     *
     * @param summary a summary of this message's reactions
     * @return a copy with those reactions
     * @throws NullPointerException if {@code summary} is null
     * @throws IllegalArgumentException if the summary is of a different message
     */
    public Message with(MessageReactionSummaryEvent summary) {
        Objects.requireNonNull(summary, "summary must not be null");
        if (!summary.messageSerial().equals(serial)) {
            throw new IllegalArgumentException("cannot apply reactions of message " + summary.messageSerial() + " to message " + serial);
        }
        return new Message(serial, clientId, text, timestamp, metadata, headers, userClaim, action, version, summary.reactions());
    }

    /**
     * Whether this version is an update.
     *
     * @return true for {@link MessageAction#MESSAGE_UPDATE}
     */
    public boolean isUpdated() {
        return action == MessageAction.MESSAGE_UPDATE;
    }

    /**
     * Whether this version is a delete.
     *
     * @return true for {@link MessageAction#MESSAGE_DELETE}
     */
    public boolean isDeleted() {
        return action == MessageAction.MESSAGE_DELETE;
    }
}
