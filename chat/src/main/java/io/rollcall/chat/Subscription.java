package io.rollcall.chat;

/**
 * One registration of a listener, returned by every {@code subscribe}/{@code on...} method. Each call
 * registers anew: the same listener subscribed twice is called twice per event, through two independent
 * subscriptions.
 *
 * <p>{@link #unsubscribe()} removes only this registration, and may be called any number of times, from any
 * thread, including from inside the listener. Once it has returned, the listener is not called again for this
 * subscription, even for events that were already queued on the listener executor; a call already running
 * on another thread at that moment finishes normally. {@link #close()} is the same, so a subscription can be
 * used in try-with-resources.
 */
public interface Subscription extends AutoCloseable {
    /** Stops this registration of the listener. Idempotent; never throws. */
    void unsubscribe();

    /** The same as {@link #unsubscribe()}: lets a subscription be closed by try-with-resources. */
    @Override
    default void close() {
        unsubscribe();
    }
}
