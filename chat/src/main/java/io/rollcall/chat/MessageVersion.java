package io.rollcall.chat;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a chat message: the original (its serial is the message's) or an update or delete.
 *
 * @param serial the version's serial; versions order by it as strings
 * @param timestamp when this version was made
 * @param clientId who made it (null for the original as sent, unless the server gives it)
 * @param description the operation's description, or null
 * @param metadata the operation's metadata (unmodifiable, possibly empty)
 */
public record MessageVersion(String serial, Instant timestamp, String clientId, String description,
                             Map<String, String> metadata) {
}
