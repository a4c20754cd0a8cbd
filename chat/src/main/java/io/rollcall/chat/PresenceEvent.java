package io.rollcall.chat;

/**
 * A presence change in a room.
 *
 * @param type what happened
 * @param member the member as it now is (for {@link PresenceEventType#LEAVE}, as it was when it left)
 */
public record PresenceEvent(PresenceEventType type, PresenceMember member) {
}
