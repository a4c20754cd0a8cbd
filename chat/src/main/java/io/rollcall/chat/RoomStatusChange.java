package io.rollcall.chat;

/** A move from one {@link RoomStatus} to another, with the error that caused it, if any (else null). */
public record RoomStatusChange(RoomStatus current, RoomStatus previous, ErrorInfo error) {
}
