package io.rollcall.server.testing;

import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ErrorInfo;
import java.util.concurrent.CompletableFuture;

/** Adapts ably-java's CompletionListener to a future, failing with the SDK's own ErrorInfo. */
public final class Completion implements CompletionListener {
    public final CompletableFuture<Void> future = new CompletableFuture<>();

    @Override
    public void onSuccess() {
        future.complete(null);
    }

    @Override
    public void onError(ErrorInfo reason) {
        future.completeExceptionally(AblyException.fromErrorInfo(reason));
    }

    /** Waits and returns the SDK's error, or null on success. */
    public ErrorInfo error() {
        try {
            Await.get(future);
            return null;
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t != null && !(t instanceof AblyException)) {
                t = t.getCause();
            }
            if (t instanceof AblyException ae) {
                return ae.errorInfo;
            }
            throw e;
        }
    }

    public void ok() {
        ErrorInfo e = error();
        if (e != null) {
            throw new AssertionError("expected success, got " + e.code + ": " + e.message);
        }
    }
}
