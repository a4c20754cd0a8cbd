/**
 * The Rollcall Java Chat SDK: Ably Chat's rooms for Java ({@code messages} with their reactions, room
 * {@code reactions}, {@code typing}, {@code presence} and {@code occupancy}), on {@code io.ably:ably-java}.
 *
 * <p>Start with {@link io.rollcall.chat.ChatClient} (threads and errors are described there),
 * {@link io.rollcall.chat.Messages}, {@link io.rollcall.chat.MessageReactions}, {@link io.rollcall.chat.RoomReactions},
 * {@link io.rollcall.chat.Typing}, {@link io.rollcall.chat.Presence} (presence data as JSON values) and
 * {@link io.rollcall.chat.Occupancy}.
 * Every asynchronous call returns a {@link java.util.concurrent.CompletableFuture}; every listener
 * registration returns an {@link AutoCloseable} {@link io.rollcall.chat.Subscription}.
 */
package io.rollcall.chat;
