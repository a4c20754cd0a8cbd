package io.rollcall.chat;

import io.ably.lib.realtime.AblyRealtime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every part of one {@link ChatClient} shares: the realtime client, the listener executor (serial), the
 * pool for ably-java calls that block, the pool that completes every future handed to a caller, and a timer
 * thread (typing timeouts).
 */
record ChatContext(AblyRealtime realtime, Executor listenerExecutor, Executor blockingExecutor, Executor completions,
                   ScheduledExecutorService timers) {

    /**
     * A new future for the caller, completed on the completion pool once {@code internal} completes. The SDK
     * never completes a caller's future on ably-java's threads (which it needs for everything else) nor on
     * the listener executor, so a caller may block in a dependent stage; and as the caller's future is not
     * the SDK's own, completing or cancelling it changes nothing inside the SDK.
     */
    <T> CompletableFuture<T> deliver(CompletionStage<T> internal) {
        CompletableFuture<T> out = new CompletableFuture<>();
        internal.whenComplete((v, t) -> completions.execute(() -> {
            if (t != null) {
                out.completeExceptionally(AblyCalls.exception(t));
            } else {
                out.complete(v);
            }
        }));
        return out;
    }
}
