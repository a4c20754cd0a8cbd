package io.rollcall.chat;

/** Told of every room status change. */
@FunctionalInterface
public interface RoomStatusListener {
    /**
     * Called with each status change, on the client's listener executor, one at a time and in order. A listener that throws is logged; the others still run.
     *
     * @param change the change
     */
    void onStatusChange(RoomStatusChange change);
}
