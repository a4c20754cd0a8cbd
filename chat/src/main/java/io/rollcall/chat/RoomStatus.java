package io.rollcall.chat;

/** A room's lifecycle, as in the Chat SDKs. */
public enum RoomStatus {
    INITIALIZED, ATTACHING, ATTACHED, DETACHING, DETACHED, SUSPENDED, FAILED, RELEASING, RELEASED
}
