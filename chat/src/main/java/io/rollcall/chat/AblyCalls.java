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
