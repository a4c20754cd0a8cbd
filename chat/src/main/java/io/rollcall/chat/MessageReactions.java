package io.rollcall.chat;

import com.google.gson.JsonObject;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.Param;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reactions to a room's messages (annotations of the message on the wire): send and remove them, read a
 * client's own, and listen to each message's summary as it changes. The kind of reaction defaults to the
 * room's {@link RoomOptions#defaultMessageReactionType()} ({@link MessageReactionType#DISTINCT} unless set).
 *
 * <pre>{@code
 * room.messages().reactions().subscribe(e -> System.out.println(e.messageSerial() + ": " + e.reactions().distinct().keySet()));
 * room.messages().reactions().send(message.serial(), "👍").join();
 * room.messages().reactions().send(message.serial(), "❤️", MessageReactionType.MULTIPLE, 3).join();
 * room.messages().reactions().delete(message.serial(), "👍").join();
 * }</pre>
 *
 * <p>Futures complete on the client's completion pool; they fail with {@link ChatException} carrying the
 * server's error, for example 40160 without the {@code annotation-publish} capability, 40400 for an unknown
 * message, 40009 past the server's limit of reactions per message.
 */
public final class MessageReactions {
    private final ChatContext ctx;
    private final Room room;
    private final Channel channel;
    private final ChatRest rest;
    private final Listeners<MessageReactionListener> listeners;
    private final Channel.MessageListener bridge = this::onMessage;
    private final Listeners<MessageRawReactionListener> rawListeners;
    private final io.ably.lib.realtime.RealtimeAnnotations.AnnotationListener rawBridge;

    MessageReactions(ChatContext ctx, Room room, Channel channel, ChatRest rest) {
        this.ctx = ctx;
        this.room = room;
        this.channel = channel;
        this.rest = rest;
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        this.rawListeners = new Listeners<>(ctx.listenerExecutor());
        this.rawBridge = room.options().rawMessageReactions() ? this::onAnnotation : null;
        AblyCalls.now(() -> channel.subscribe(bridge));
        if (rawBridge != null) {
            AblyCalls.now(() -> channel.annotations.subscribe(rawBridge));
        }
    }

    /**
     * Reacts to a message with the room's default kind of reaction (count 1 for a multiple one).
     *
     * @param messageSerial the message's serial
     * @param name the reaction, for example an emoji
     * @return a future completed once the server has accepted the reaction
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is empty
     */
    public CompletableFuture<Void> send(String messageSerial, String name) {
        return send(messageSerial, name, room.options().defaultMessageReactionType(), 1);
    }

    /**
     * Reacts to a message.
     *
     * @param messageSerial the message's serial
     * @param name the reaction, for example an emoji
     * @param type the kind of reaction
     * @param count how many, for a {@link MessageReactionType#MULTIPLE} reaction (ignored for the others)
     * @return a future completed once the server has accepted the reaction
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a string is empty or {@code count} is not positive
     */
    public CompletableFuture<Void> send(String messageSerial, String name, MessageReactionType type, int count) {
        String path = reactionsPath(messageSerial);
        notEmpty(name, "name");
        Objects.requireNonNull(type, "type must not be null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, not " + count);
        }
        JsonObject body = new JsonObject();
        body.addProperty("type", type.wireValue());
        body.addProperty("name", name);
        if (type == MessageReactionType.MULTIPLE) {
            body.addProperty("count", count);
        }
        return ctx.deliver(rest.call("POST", path, null, body).thenApply(r -> null));
    }

    /**
     * Removes this client's reaction of that name, of the room's default kind.
     *
     * @param messageSerial the message's serial
     * @param name the reaction
     * @return a future completed once the server has removed it
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is empty
     */
    public CompletableFuture<Void> delete(String messageSerial, String name) {
        return delete(messageSerial, name, room.options().defaultMessageReactionType());
    }

    /**
     * Removes this client's reaction.
     *
     * @param messageSerial the message's serial
     * @param name the reaction; may be null for a {@link MessageReactionType#UNIQUE} one (the client has at most one)
     * @param type the kind of reaction
     * @return a future completed once the server has removed it
     * @throws NullPointerException if {@code messageSerial} or {@code type} is null, or {@code name} is null for
     *         another kind than unique
     * @throws IllegalArgumentException if a string is empty
     */
    public CompletableFuture<Void> delete(String messageSerial, String name, MessageReactionType type) {
        String path = reactionsPath(messageSerial);
        Objects.requireNonNull(type, "type must not be null");
        List<Param> params = new ArrayList<>(List.of(new Param("type", type.wireValue())));
        if (type != MessageReactionType.UNIQUE || name != null) {
            params.add(new Param("name", notEmpty(name, "name")));
        }
        return ctx.deliver(rest.call("DELETE", path, params.toArray(new Param[0]), null).thenApply(r -> null));
    }

    /**
     * One client's reactions to a message.
     *
     * @param messageSerial the message's serial
     * @param clientId whose reactions, or null for this client's
     * @return a future of the summary, holding only that client's reactions (totals are everyone's)
     * @throws NullPointerException if {@code messageSerial} is null
     * @throws IllegalArgumentException if a string is empty
     */
    public CompletableFuture<MessageReactionSummary> clientReactions(String messageSerial, String clientId) {
        String path = rest.path("/messages/" + ChatRest.encode(notEmpty(messageSerial, "messageSerial")) + "/client-reactions");
        Param[] params = clientId == null ? null : new Param[] {new Param("forClientId", notEmpty(clientId, "clientId"))};
        return ctx.deliver(rest.call("GET", path, params, null).thenApply(r -> {
            var first = ChatRest.first(r);
            return MessageReader.summary(first != null && first.isJsonObject() ? first.getAsJsonObject() : null,
                    "unique", "distinct", "multiple");
        }));
    }

    /**
     * Listens to reaction summaries, on the client's listener executor, until unsubscribed: after each change
     * to a message's reactions, its whole summary. The room must be attached to receive them.
     *
     * @param listener called with each summary
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription subscribe(MessageReactionListener listener) {
        return listeners.add(listener);
    }

    /**
     * Listens to each reaction as it is added or removed, on the client's listener executor, until
     * unsubscribed. Needs {@link RoomOptions#rawMessageReactions()} (the room attaches with the
     * {@code ANNOTATION_SUBSCRIBE} mode, and the {@code annotation-subscribe} capability).
     *
     * @param listener called with each reaction
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     * @throws ChatException 102108 ({@link ChatException#FEATURE_NOT_ENABLED_IN_ROOM}) if raw message reactions
     *         are not enabled in the room's options
     */
    public Subscription subscribeRaw(MessageRawReactionListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        if (rawBridge == null) {
            throw new ChatException(ChatException.FEATURE_NOT_ENABLED_IN_ROOM, 400,
                    "raw message reactions are not enabled for room '" + room.name() + "'");
        }
        return rawListeners.add(listener);
    }

    private void onAnnotation(io.ably.lib.types.Annotation a) {
        MessageReactionType type = null;
        for (MessageReactionType t : MessageReactionType.values()) {
            if (t.annotationType().equals(a.type)) {
                type = t;
            }
        }
        if (type == null || a.action == null) {
            return;
        }
        MessageReactionRawEvent.Type action = a.action == io.ably.lib.types.AnnotationAction.ANNOTATION_DELETE
                ? MessageReactionRawEvent.Type.DELETE : MessageReactionRawEvent.Type.CREATE;
        Integer count = a.count != null && a.count > 0 ? a.count
                : action == MessageReactionRawEvent.Type.CREATE && type == MessageReactionType.MULTIPLE ? Integer.valueOf(1) : null;
        MessageReactionRawEvent event = new MessageReactionRawEvent(action, Instant.ofEpochMilli(a.timestamp),
                new MessageReactionRawEvent.Reaction(a.messageSerial, type, a.name == null ? "" : a.name, count,
                        a.clientId == null ? "" : a.clientId, MessageReader.string(MessageReader.extras(a.extras), "userClaim", null)));
        rawListeners.dispatch(l -> l.onReaction(event));
    }

    private String reactionsPath(String messageSerial) {
        return rest.path("/messages/" + ChatRest.encode(notEmpty(messageSerial, "messageSerial")) + "/reactions");
    }

    private static String notEmpty(String value, String name) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    private void onMessage(io.ably.lib.types.Message m) {
        if (m.action != io.ably.lib.types.MessageAction.MESSAGE_SUMMARY || m.serial == null) {
            return;
        }
        MessageReactionSummaryEvent event = new MessageReactionSummaryEvent(m.serial, MessageReader.summary(m));
        listeners.dispatch(l -> l.onSummary(event));
    }

    void close() {
        channel.unsubscribe(bridge);
        if (rawBridge != null) {
            channel.annotations.unsubscribe(rawBridge);
        }
        listeners.clear();
        rawListeners.clear();
    }
}
