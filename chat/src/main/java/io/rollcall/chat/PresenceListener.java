package io.rollcall.chat;

/** Receives a room's presence events. */
@FunctionalInterface
public interface PresenceListener {
    /**
     * Called with each presence event, on the client's listener executor, one at a time and in order. A listener that throws is logged; the others still run.
     *
     * @param event the event
     */
    void onEvent(PresenceEvent event);
}
