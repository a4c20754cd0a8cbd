package io.rollcall.chat;

/** Told when the room may have missed events (it re-attached without continuity), with the reason. */
@FunctionalInterface
public interface DiscontinuityListener {
    /**
     * Called when the room re-attached without continuity, on the client's listener executor. A listener that throws is logged; the others still run.
     *
     * @param reason why continuity was lost
     */
    void onDiscontinuity(ErrorInfo reason);
}
