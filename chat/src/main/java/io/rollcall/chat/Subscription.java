package io.rollcall.chat;

/** A registered listener. {@link #unsubscribe()} stops it; calling it again does nothing. */
@FunctionalInterface
public interface Subscription {
    void unsubscribe();
}
