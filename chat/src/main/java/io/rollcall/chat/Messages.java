package io.rollcall.chat;

import com.google.gson.JsonObject;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelEvent;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener;
import io.ably.lib.types.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room's chat messages: send, update and delete them (through Ably Chat's REST API, so the room need not be
 * attached), read history, and listen to them as they are sent, updated and deleted (the room must be
 * attached for that).
 *
 * <pre>{@code
 * MessageSubscription sub = room.messages().subscribe(event ->
 *     System.out.println(event.type().wireValue() + " " + event.message().clientId() + ": " + event.message().text()));
 * room.attach().join();
 * PaginatedResult<Message> before = sub.historyBeforeSubscribe(HistoryParams.builder().limit(50).build()).join();
 * Message sent = room.messages().send(MessageParams.builder("hello").metadata(Map.of("bold", true)).build()).join();
 * room.messages().update(sent.serial(), MessageParams.of("hello!"), OperationDetails.builder().description("typo").build()).join();
 * room.messages().delete(sent.serial()).join();
 * PaginatedResult<Message> page = room.messages().history(HistoryParams.builder().orderBy(OrderBy.OLDEST_FIRST).build()).join();
 * }</pre>
 *
 * <p>Every method checks its arguments at the call ({@link NullPointerException}, {@link IllegalArgumentException})
 * and otherwise completes its future on the client's completion pool, failing it with {@link ChatException}
 * carrying the server's error: for example 40160 without the capability (sending needs {@code publish},
 * history {@code history}, updating another's message {@code message-update-any}), 40400 for an unknown
 * serial, 40009 for a message over the size limit.
 */
public final class Messages {
    private static final String MESSAGE_NAME = "chat.message";

    private final ChatContext ctx;
    private final Room room;
    private final Channel channel;
    private final ChatRest rest;
    private final Listeners<MessageListener> listeners;
    private final Channel.MessageListener bridge = this::onMessage;
    private final ChannelStateListener attachWatcher = this::onChannelState;
    /** Each subscription's point: where its historyBeforeSubscribe starts. */
    private final Set<Point> points = ConcurrentHashMap.newKeySet();
    private final MessageReactions reactions;

    Messages(ChatContext ctx, Room room, Channel channel, ChatRest rest) {
        this.ctx = ctx;
        this.room = room;
        this.channel = channel;
        this.rest = rest;
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        AblyCalls.now(() -> channel.subscribe(MESSAGE_NAME, bridge));
        channel.on(attachWatcher);
        this.reactions = new MessageReactions(ctx, room, channel, rest);
    }

    /**
     * The reactions to this room's messages.
     *
     * @return the message reactions
     */
    public MessageReactions reactions() {
        return reactions;
    }

    /**
     * Sends a message with just text.
     *
     * @param text the text
     * @return a future of the message as stored (its serial, timestamp and version)
     * @throws NullPointerException if {@code text} is null
     */
    public CompletableFuture<Message> send(String text) {
        return send(MessageParams.of(text));
    }

    /**
     * Sends a message.
     *
     * @param params the text, metadata and headers
     * @return a future of the message as stored (its serial, timestamp and version)
     * @throws NullPointerException if {@code params} is null
     */
    public CompletableFuture<Message> send(MessageParams params) {
        Objects.requireNonNull(params, "params must not be null");
        return one("POST", rest.path("/messages"), null, content(params));
    }

    /**
     * Replaces a message's text, metadata and headers: a new version of it, which every subscriber receives as
     * {@link ChatMessageEventType#UPDATED}.
     *
     * @param serial the message's serial
     * @param params the new text, metadata and headers (absent metadata or headers become empty)
     * @param details why (description and metadata of the operation)
     * @return a future of the message at its new version
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code serial} is empty
     */
    public CompletableFuture<Message> update(String serial, MessageParams params, OperationDetails details) {
        String path = messagePath(serial, "");
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(details, "details must not be null: use OperationDetails.none()");
        JsonObject body = operation(details);
        body.add("message", content(params));
        return one("PUT", path, null, body);
    }

    /**
     * Replaces a message's text, metadata and headers, with no description.
     *
     * @param serial the message's serial
     * @param params the new text, metadata and headers
     * @return a future of the message at its new version
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code serial} is empty
     */
    public CompletableFuture<Message> update(String serial, MessageParams params) {
        return update(serial, params, OperationDetails.none());
    }

    /**
     * Deletes a message: a new version of it with empty text, which every subscriber receives as
     * {@link ChatMessageEventType#DELETED}; history still lists it.
     *
     * @param serial the message's serial
     * @param details why (description and metadata of the operation)
     * @return a future of the message at its deleted version
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code serial} is empty
     */
    public CompletableFuture<Message> delete(String serial, OperationDetails details) {
        String path = messagePath(serial, "/delete");
        Objects.requireNonNull(details, "details must not be null: use OperationDetails.none()");
        return one("POST", path, null, operation(details));
    }

    /**
     * Deletes a message, with no description.
     *
     * @param serial the message's serial
     * @return a future of the message at its deleted version
     * @throws NullPointerException if {@code serial} is null
     * @throws IllegalArgumentException if {@code serial} is empty
     */
    public CompletableFuture<Message> delete(String serial) {
        return delete(serial, OperationDetails.none());
    }

    /**
     * One message at its latest version, with its reactions.
     *
     * @param serial the message's serial
     * @return a future of the message; it fails with {@link ChatException} 40400 if there is none
     * @throws NullPointerException if {@code serial} is null
     * @throws IllegalArgumentException if {@code serial} is empty
     */
    public CompletableFuture<Message> get(String serial) {
        return one("GET", messagePath(serial, ""), null, null);
    }

    /**
     * Every version of a message, oldest first.
     *
     * @param serial the message's serial
     * @return a future of the first page of versions
     * @throws NullPointerException if {@code serial} is null
     * @throws IllegalArgumentException if {@code serial} is empty
     */
    public CompletableFuture<PaginatedResult<Message>> getVersions(String serial) {
        String path = messagePath(serial, "/versions");
        return ctx.deliver(rest.call("GET", path, null, null).thenApply(r -> PaginatedResult.of(ctx, r, MessageReader::fromRest)));
    }

    /**
     * The room's messages, each at its latest version with its reactions (deleted ones included).
     *
     * @param params the window, page size and order
     * @return a future of the first page
     * @throws NullPointerException if {@code params} is null
     */
    public CompletableFuture<PaginatedResult<Message>> history(HistoryParams params) {
        Objects.requireNonNull(params, "params must not be null: use HistoryParams.defaults()");
        return ctx.deliver(query(params, params.orderBy(), null));
    }

    /**
     * Listens to messages sent, updated and deleted in the room, on the client's listener executor, until
     * unsubscribed. The room must be attached to receive them.
     *
     * @param listener called with each event
     * @return a new, independent subscription, which can also fetch what came before it
     * @throws NullPointerException if {@code listener} is null
     */
    public MessageSubscription subscribe(MessageListener listener) {
        Subscription registration = listeners.add(listener);
        Point point = new Point(startPoint());
        points.add(point);
        return new MessageSubscription() {
            @Override
            public void unsubscribe() {
                registration.unsubscribe();
                points.remove(point);
                point.unsubscribed = true;
            }

            @Override
            public CompletableFuture<PaginatedResult<Message>> historyBeforeSubscribe(HistoryParams params) {
                Objects.requireNonNull(params, "params must not be null: use HistoryParams.defaults()");
                if (point.unsubscribed) {
                    return CompletableFuture.failedFuture(new ChatException(ChatException.LISTENER_NOT_SUBSCRIBED, 400,
                            "unable to query history; listener has been unsubscribed"));
                }
                return ctx.deliver(point.serial.thenCompose(from -> query(params, OrderBy.NEWEST_FIRST, from)));
            }
        };
    }

    private CompletableFuture<PaginatedResult<Message>> query(HistoryParams params, OrderBy order, String fromSerial) {
        List<Param> p = new ArrayList<>();
        if (params.start() != null) {
            p.add(new Param("start", Long.toString(params.start().toEpochMilli())));
        }
        if (params.end() != null) {
            p.add(new Param("end", Long.toString(params.end().toEpochMilli())));
        }
        p.add(new Param("limit", Integer.toString(params.limit())));
        p.add(new Param("direction", order == OrderBy.OLDEST_FIRST ? "forwards" : "backwards"));
        if (fromSerial != null) {
            p.add(new Param("fromSerial", fromSerial));
        }
        return rest.call("GET", rest.path("/messages"), p.toArray(new Param[0]), null)
                .thenApply(r -> PaginatedResult.of(ctx, r, MessageReader::fromRest));
    }

    private CompletableFuture<Message> one(String method, String path, Param[] params, JsonObject body) {
        return ctx.deliver(rest.call(method, path, params, body).thenApply(r -> MessageReader.fromRest(ChatRest.first(r))));
    }

    private String messagePath(String serial, String suffix) {
        Objects.requireNonNull(serial, "serial must not be null");
        if (serial.isEmpty()) {
            throw new IllegalArgumentException("serial must not be empty");
        }
        return rest.path("/messages/" + ChatRest.encode(serial) + suffix);
    }

    private static JsonObject content(MessageParams params) {
        JsonObject o = new JsonObject();
        o.addProperty("text", params.text());
        if (params.metadata() != null) {
            o.add("metadata", JsonData.toObject(params.metadata(), "message metadata"));
        }
        if (params.headers() != null) {
            o.add("headers", JsonData.toObject(params.headers(), "message headers"));
        }
        return o;
    }

    private static JsonObject operation(OperationDetails details) {
        JsonObject o = new JsonObject();
        if (details.description() != null) {
            o.addProperty("description", details.description());
        }
        if (details.metadata() != null) {
            JsonObject m = new JsonObject();
            details.metadata().forEach(m::addProperty);
            o.add("metadata", m);
        }
        return o;
    }

    /**
     * Where a new subscription starts: the channel's latest serial if attached now, else its attach serial
     * once attached (as @ably/chat does).
     */
    private CompletableFuture<String> startPoint() {
        if (channel.state == ChannelState.attached && channel.properties != null && channel.properties.channelSerial != null) {
            return CompletableFuture.completedFuture(channel.properties.channelSerial);
        }
        CompletableFuture<String> pending = new CompletableFuture<>();
        if (channel.state == ChannelState.attached) {
            completeAtAttach(pending);
        }
        return pending;
    }

    private void completeAtAttach(CompletableFuture<String> point) {
        String serial = channel.properties == null ? null : channel.properties.attachSerial;
        if (serial != null) {
            point.complete(serial);
        } else {
            point.completeExceptionally(new ChatException(ChatException.CHANNEL_SERIAL_NOT_DEFINED, 500,
                    "unable to query messages; channel is attached but attachSerial is not defined"));
        }
    }

    /** An attach without continuity moves every subscription's point to the attach point. */
    private void onChannelState(ChannelStateListener.ChannelStateChange change) {
        if (change.current != ChannelState.attached) {
            return;
        }
        boolean fresh = !change.resumed && (change.event == ChannelEvent.attached || change.event == ChannelEvent.update);
        for (Point p : points) {
            if (!p.serial.isDone()) {
                completeAtAttach(p.serial);
            } else if (fresh) {
                CompletableFuture<String> next = new CompletableFuture<>();
                completeAtAttach(next);
                p.serial = next;
            }
        }
    }

    private void onMessage(io.ably.lib.types.Message m) {
        Message message = MessageReader.fromRealtime(m);
        if (message == null) {
            return;
        }
        ChatMessageEvent event = new ChatMessageEvent(ChatMessageEventType.of(message.action()), message);
        listeners.dispatch(l -> l.onEvent(event));
    }

    void close() {
        channel.unsubscribe(MESSAGE_NAME, bridge);
        channel.off(attachWatcher);
        ChatException released = new ChatException(ChatException.ROOM_IS_RELEASED, 400,
                "room '" + room.name() + "' was released");
        for (Point p : points) {
            p.serial.completeExceptionally(released);
        }
        points.clear();
        listeners.clear();
        reactions.close();
    }

    /** A subscription's point in the room's message sequence. */
    private static final class Point {
        volatile CompletableFuture<String> serial;
        volatile boolean unsubscribed;

        Point(CompletableFuture<String> serial) {
            this.serial = serial;
        }
    }
}
