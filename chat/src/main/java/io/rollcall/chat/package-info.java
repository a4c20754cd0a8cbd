/**
 * The Rollcall Java Chat SDK: Ably Chat's {@code room.presence} and {@code room.occupancy} for Java, on
 * {@code io.ably:ably-java}.
 *
 * <p>Start with {@link io.rollcall.chat.ChatClient} (threads and errors are described there),
 * {@link io.rollcall.chat.Presence} (presence data as JSON values) and {@link io.rollcall.chat.Occupancy}.
 * Every asynchronous call returns a {@link java.util.concurrent.CompletableFuture}; every listener
 * registration returns an {@link AutoCloseable} {@link io.rollcall.chat.Subscription}.
 */
package io.rollcall.chat;
