package io.rollcall.chat;

/** Receives typing changes (see {@link Typing#subscribe}). */
@FunctionalInterface
public interface TypingListener {
    /**
     * Called when a client starts or stops typing.
     *
     * @param event the new set and the change
     */
    void onEvent(TypingSetEvent event);
}
