package io.rollcall.chat;

/** A room's lifecycle, as in the Chat SDKs. */
public enum RoomStatus {
    /** Created, not yet attached. */
    INITIALIZED,
    /** Attaching. */
    ATTACHING,
    /** Attached: events flow and presence operations work. */
    ATTACHED,
    /** Detaching. */
    DETACHING,
    /** Detached by the user. */
    DETACHED,
    /** Attachment lost for a while (the connection is suspended); it re-attaches by itself. */
    SUSPENDED,
    /** Attachment failed (see {@link Room#error()}); attach again to retry. */
    FAILED,
    /** Being released. */
    RELEASING,
    /** Released: no longer usable. */
    RELEASED
}
