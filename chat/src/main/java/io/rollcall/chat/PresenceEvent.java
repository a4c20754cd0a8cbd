package io.rollcall.chat;

/** A presence change in a room: its {@link PresenceEventType} and the member as it now is. */
public record PresenceEvent(PresenceEventType type, PresenceMember member) {
}
