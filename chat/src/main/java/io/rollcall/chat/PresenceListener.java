package io.rollcall.chat;

/** Receives a room's presence events. */
@FunctionalInterface
public interface PresenceListener {
    void onEvent(PresenceEvent event);
}
