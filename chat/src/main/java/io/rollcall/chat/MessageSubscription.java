package io.rollcall.chat;

import java.util.concurrent.CompletableFuture;

/**
 * A subscription to a room's messages ({@link Messages#subscribe}) that can also fetch what was sent before it
 * started, with no gap and no overlap with what the listener receives.
 */
public interface MessageSubscription extends Subscription {
    /**
     * The messages sent before this subscription's point (the room's position when it subscribed, or when the
     * room last attached without continuity), newest first.
     *
     * @param params the window and page size; its order is ignored (always newest first)
     * @return a future of the first page, completed on the client's completion pool; it fails with
     *         {@link ChatException} 102103 if the room is released before its point is known, or 102109 ({@link ChatException#LISTENER_NOT_SUBSCRIBED}) if this
     *         subscription was unsubscribed
     * @throws NullPointerException if {@code params} is null
     */
    CompletableFuture<PaginatedResult<Message>> historyBeforeSubscribe(HistoryParams params);
}
