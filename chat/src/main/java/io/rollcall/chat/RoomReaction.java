package io.rollcall.chat;

import java.time.Instant;
import java.util.Map;

/**
 * A reaction to the room as a whole (not to a message): ephemeral, seen by whoever is attached at the time.
 *
 * @param name the reaction, for example an emoji
 * @param metadata the sender's metadata (unmodifiable, possibly empty)
 * @param headers the sender's headers (unmodifiable, possibly empty)
 * @param createdAt when it was sent
 * @param clientId who sent it
 * @param isSelf whether this client sent it
 * @param userClaim the sender's JWT room claim, or null
 */
public record RoomReaction(String name, Map<String, Object> metadata, Map<String, Object> headers, Instant createdAt,
                           String clientId, boolean isSelf, String userClaim) {
}
