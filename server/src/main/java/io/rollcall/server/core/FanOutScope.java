package io.rollcall.server.core;

/**
 * Marks a fan-out on the current thread: between {@link #begin} and {@link #end} the transport may hold back
 * the hand-over of each socket it queues a message for, and pass them to their event loops in batches, the last
 * when the fan-out ends (a hand-over per batch instead of one per recipient, each a write to memory the loop's
 * core is reading). Scopes nest; only the outermost end hands over what is left. Core marks the scope; the
 * transport implements it.
 */
public interface FanOutScope {
    void begin();

    void end();

    /** For a node without sockets (tests driving the core directly): nothing to batch. */
    FanOutScope NONE = new FanOutScope() {
        @Override
        public void begin() {
        }

        @Override
        public void end() {
        }
    };
}
