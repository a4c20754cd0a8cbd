package io.rollcall.chat;

/** Told of every room status change. */
@FunctionalInterface
public interface RoomStatusListener {
    void onStatusChange(RoomStatusChange change);
}
