package io.rollcall.chat;

import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.AblyException;
import java.util.concurrent.CompletableFuture;

/** Bridges ably-java callbacks and errors to futures and {@link ChatException}. */
final class AblyCalls {
    private AblyCalls() {}

    interface Call {
        void start(CompletionListener listener) throws AblyException;
    }

    interface Action {
        void run() throws AblyException;
    }

    /** Runs an ably-java call that completes at once (such as subscribing a listener), its failure as {@link ChatException}. */
    static void now(Action action) {
        try {
            action.run();
        } catch (AblyException e) {
            throw new ChatException(convert(e.errorInfo));
        }
    }

    static CompletableFuture<Void> run(Call call) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            call.start(new CompletionListener() {
                @Override
                public void onSuccess() {
                    f.complete(null);
                }

                @Override
                public void onError(io.ably.lib.types.ErrorInfo reason) {
                    f.completeExceptionally(new ChatException(convert(reason)));
                }
            });
        } catch (AblyException e) {
            f.completeExceptionally(new ChatException(convert(e.errorInfo)));
        }
        return f;
    }

    /**
     * Publishes an ephemeral message (typing, room reactions: delivered, never stored), once the connection is
     * connected; otherwise fails with 80003 as the Chat SDKs do.
     *
     * @param wire the data as {@link JsonData#toWire} gives it, or null for none
     * @param extras the extras besides {@code ephemeral}, or null
     */
    static CompletableFuture<Void> publishEphemeral(io.ably.lib.realtime.AblyRealtime realtime, io.ably.lib.realtime.Channel channel,
                                                    String name, JsonData.Wire wire, com.google.gson.JsonObject extras, String what) {
        if (realtime.connection.state != io.ably.lib.realtime.ConnectionState.connected) {
            return CompletableFuture.failedFuture(new ChatException(ChatException.DISCONNECTED, 400,
                    "unable to send " + what + "; not connected (connection is " + realtime.connection.state + ")"));
        }
        com.google.gson.JsonObject x = extras == null ? new com.google.gson.JsonObject() : extras.deepCopy();
        x.addProperty("ephemeral", true);
        io.ably.lib.types.Message m = new io.ably.lib.types.Message(name, wire == null ? null : wire.data(),
                new io.ably.lib.types.MessageExtras(x));
        m.encoding = wire == null ? null : wire.encoding();
        return run(l -> channel.publish(m, l));
    }

    static ErrorInfo convert(io.ably.lib.types.ErrorInfo e) {
        if (e == null) {
            return null;
        }
        return new ErrorInfo(e.code, e.statusCode, e.message);
    }

    static ChatException exception(Throwable t) {
        if (t instanceof ChatException c) {
            return c;
        }
        if (t instanceof AblyException a) {
            return new ChatException(convert(a.errorInfo));
        }
        if (t.getCause() != null && t.getCause() != t) {
            return exception(t.getCause());
        }
        return new ChatException(50000, 500, String.valueOf(t.getMessage()));
    }
}
