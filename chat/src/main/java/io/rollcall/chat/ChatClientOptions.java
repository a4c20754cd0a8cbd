package io.rollcall.chat;

import java.util.concurrent.Executor;

/**
 * Options for a {@link ChatClient}. Immutable; build with {@link #builder()}.
 *
 * <p>{@code listenerExecutor} runs every listener (room status, messages, reactions, typing, presence,
 * occupancy, connection). Events are
 * handed to it one at a time, in order, whatever the executor; by default a single daemon thread of the
 * client's own.
 */
public final class ChatClientOptions {
    private static final ChatClientOptions DEFAULTS = builder().build();

    private final Executor listenerExecutor;

    private ChatClientOptions(Builder b) {
        this.listenerExecutor = b.listenerExecutor;
    }

    /**
     * The defaults.
     *
     * @return options with listeners on the client's own thread
     */
    public static ChatClientOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The executor for listeners.
     *
     * @return the executor, or null for the client's own thread
     */
    public Executor listenerExecutor() {
        return listenerExecutor;
    }

    /** Builds {@link ChatClientOptions}. */
    public static final class Builder {
        private Executor listenerExecutor;

        private Builder() {}

        /**
         * Runs listeners on this executor (events are still handed to it one at a time, in order), for
         * example a UI thread's executor. An executor that runs tasks on the submitting thread (such as
         * {@code Runnable::run}) would run listeners on ably-java's thread, where blocking on the SDK hangs the
         * connection: give one with threads of its own.
         *
         * @param executor the executor, or null for the client's own thread
         * @return this builder
         */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = executor;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options
         */
        public ChatClientOptions build() {
            return new ChatClientOptions(this);
        }
    }
}
