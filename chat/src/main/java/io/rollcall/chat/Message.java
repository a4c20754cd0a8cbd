package io.rollcall.chat;

import java.time.Instant;
import java.util.Map;

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
