package io.rollcall.chat;

/** Told when the room may have missed events (it re-attached without continuity), with the reason. */
@FunctionalInterface
public interface DiscontinuityListener {
    void onDiscontinuity(ErrorInfo reason);
}
