package io.rollcall.chat;

import java.util.concurrent.Executor;

/**
 * Options for a {@link ChatClient}. Immutable; build with {@link #builder()}.
 *
 * <p>{@code listenerExecutor} runs every listener (room status, presence, occupancy, connection). Events are
 * handed to it one at a time, in order, whatever the executor; by default a single daemon thread of the
 * client's own.
 */
public final class ChatClientOptions {
    private static final ChatClientOptions DEFAULTS = builder().build();

    private final Executor listenerExecutor;

    private ChatClientOptions(Builder b) {
        this.listenerExecutor = b.listenerExecutor;
    }

    /** Default options: listeners on the client's own thread. */
    public static ChatClientOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The executor for listeners, or null for the client's own thread. */
    public Executor listenerExecutor() {
        return listenerExecutor;
    }

    /** Builds {@link ChatClientOptions}. */
    public static final class Builder {
        private Executor listenerExecutor;

        private Builder() {}

        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = executor;
            return this;
        }

        public ChatClientOptions build() {
            return new ChatClientOptions(this);
        }
    }
}
