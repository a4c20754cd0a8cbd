package io.rollcall.chat;

/**
 * A move from one {@link RoomStatus} to another.
 *
 * @param current the status now
 * @param previous the status before
 * @param error the error that caused the change, or null
 */
public record RoomStatusChange(RoomStatus current, RoomStatus previous, ErrorInfo error) {
}
