package io.rollcall.chat;

import io.ably.lib.realtime.Channel;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Who is in a room. A member is one clientId on one connection: a user on two devices is two members.
 *
 * <pre>{@code
 * room.presence().subscribe(event -> System.out.println(event.type().wireValue() + ": " + event.member().clientId()));
 * room.presence().enter(Map.of("status", "online", "nickname", "Alice")).join();
 * List<PresenceMember> members = room.presence().get().join();
 * boolean bobHere = room.presence().isUserPresent("bob-456").join();
 * room.presence().update(Map.of("status", "away")).join();
 * room.presence().leave().join();
 * }</pre>
 *
 * <h2>Presence data</h2>
 * Presence data is any JSON value. What you pass is sent as follows, and every SDK reads it back as the same
 * JSON value ({@link PresenceMember#data()} gives the Java form):
 * <table>
 * <caption>Java values as presence data</caption>
 * <tr><th>Java value</th><th>JSON sent</th><th>read back in Java as</th></tr>
 * <tr><td>{@code Map<String, ?>}</td><td>object</td><td>unmodifiable {@code Map<String, Object>} (key order kept)</td></tr>
 * <tr><td>{@code Collection<?>} (e.g. {@code List})</td><td>array</td><td>unmodifiable {@code List<Object>}</td></tr>
 * <tr><td>{@code String}</td><td>string (sent as a plain string, as ably-js sends one)</td><td>{@code String}</td></tr>
 * <tr><td>{@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code BigInteger}</td><td>integer, exact</td>
 *     <td>{@code Integer} if it fits, else {@code Long}, else {@code BigInteger}</td></tr>
 * <tr><td>{@code Float}, {@code Double} (finite), {@code BigDecimal}</td><td>number</td><td>{@code Double}
 *     ({@code Integer}/{@code Long} if another SDK sent it without a fraction, as JavaScript does for 2.0)</td></tr>
 * <tr><td>{@code Boolean}</td><td>true / false</td><td>{@code Boolean}</td></tr>
 * <tr><td>{@code null} inside a map or list</td><td>null</td><td>{@code null}</td></tr>
 * <tr><td>{@code byte[]}</td><td>binary</td><td>{@code byte[]}</td></tr>
 * <tr><td>{@code null}, or no argument</td><td>no data</td><td>{@code null}</td></tr>
 * </table>
 * Anything else (another type, a map key that is not a String, NaN or infinity) is refused with
 * {@link IllegalArgumentException} before anything is sent.
 *
 * <h2>Errors and threads</h2>
 * Arguments are checked when a method is called: a required argument that is null throws
 * {@link NullPointerException}, an invalid one {@link IllegalArgumentException}, and nothing is sent.
 * Everything else completes the returned future exceptionally with a {@link ChatException}: its
 * {@link ChatException#errorInfo()} code is 102112 ({@link ChatException#ROOM_IN_INVALID_STATE}) if the room is
 * neither attached nor attaching, 102103 if the room was released, or the server's code (for example 40160
 * without the presence capability, 91000 for an anonymous client entering). Futures complete on a thread of the
 * client's completion pool (see {@link ChatClient}), so dependent stages may block on other calls of the SDK.
 */
public final class Presence {
    private final ChatContext ctx;
    private final Room room;
    private final Channel channel;
    private final Listeners<PresenceListener> listeners;
    private final io.ably.lib.realtime.Presence.PresenceListener bridge;

    Presence(ChatContext ctx, Room room, Channel channel) {
        this.ctx = ctx;
        this.room = room;
        this.channel = channel;
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        if (room.options().presenceEvents()) {
            this.bridge = this::onPresenceMessage;
            try {
                channel.presence.subscribe(bridge);
            } catch (AblyException e) {
                throw new ChatException(AblyCalls.convert(e.errorInfo));
            }
        } else {
            this.bridge = null;
        }
    }

    /**
     * Enters this client into the room's presence set, with no data.
     *
     * @return a future completed once the server has accepted the enter; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the server's error
     */
    public CompletableFuture<Void> enter() {
        return enter(null);
    }

    /**
     * Enters this client into the room's presence set with data.
     *
     * @param data any JSON value (see "Presence data" above), or null for none
     * @return a future completed once the server has accepted the enter; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the server's error
     * @throws IllegalArgumentException if {@code data} is not a JSON value
     */
    public CompletableFuture<Void> enter(Object data) {
        return send(PresenceMessage.Action.enter, "enter presence", data);
    }

    /**
     * Clears this client's presence data (an update with no data); enters it if it is not present.
     *
     * @return a future completed once the server has accepted the update; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the server's error
     */
    public CompletableFuture<Void> update() {
        return update(null);
    }

    /**
     * Replaces this client's presence data; enters it if it is not present.
     *
     * @param data any JSON value (see "Presence data" above), or null for none
     * @return a future completed once the server has accepted the update; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the server's error
     * @throws IllegalArgumentException if {@code data} is not a JSON value
     */
    public CompletableFuture<Void> update(Object data) {
        return send(PresenceMessage.Action.update, "update presence", data);
    }

    /**
     * Leaves the presence set; others see the member's last data.
     *
     * @return a future completed once the server has accepted the leave; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the server's error
     */
    public CompletableFuture<Void> leave() {
        return leave(null);
    }

    /**
     * Leaves the presence set with final data.
     *
     * @param data any JSON value (see "Presence data" above), or null to keep the last data
     * @return a future completed once the server has accepted the leave; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the server's error
     * @throws IllegalArgumentException if {@code data} is not a JSON value
     */
    public CompletableFuture<Void> leave(Object data) {
        return send(PresenceMessage.Action.leave, "leave presence", data);
    }

    /**
     * Every member, once the presence set is in sync.
     *
     * @return a future of an unmodifiable list of the members; it fails with {@link ChatException} 102112 if
     *         the room is not attached or attaching, or with the error that stopped the sync
     */
    public CompletableFuture<List<PresenceMember>> get() {
        return get(PresenceParams.all());
    }

    /**
     * The members matching the filters.
     *
     * @param params the filters; {@link PresenceParams#all()} for every member
     * @return a future of an unmodifiable list of the matching members; it fails with {@link ChatException}
     *         102112 if the room is not attached or attaching, or with the error that stopped the sync
     * @throws NullPointerException if {@code params} is null
     */
    public CompletableFuture<List<PresenceMember>> get(PresenceParams params) {
        Objects.requireNonNull(params, "params must not be null: use get() or PresenceParams.all() for every member");
        return call("get presence", () -> CompletableFuture.supplyAsync(() -> {
            List<Param> p = new ArrayList<>();
            p.add(new Param(io.ably.lib.realtime.Presence.GET_WAITFORSYNC, Boolean.toString(params.waitForSync())));
            if (params.clientId() != null) {
                p.add(new Param(io.ably.lib.realtime.Presence.GET_CLIENTID, params.clientId()));
            }
            if (params.connectionId() != null) {
                p.add(new Param(io.ably.lib.realtime.Presence.GET_CONNECTIONID, params.connectionId()));
            }
            try {
                PresenceMessage[] found = channel.presence.get(p.toArray(new Param[0]));
                List<PresenceMember> out = new ArrayList<>(found.length);
                for (PresenceMessage m : found) {
                    out.add(member(m));
                }
                return List.copyOf(out);
            } catch (AblyException e) {
                throw new ChatException(AblyCalls.convert(e.errorInfo));
            }
        }, ctx.blockingExecutor()));
    }

    /**
     * Whether any connection of that clientId is present.
     *
     * @param clientId the user to look for
     * @return a future of whether the user is present; it fails with {@link ChatException} 102112 if the room
     *         is not attached or attaching, or with the error that stopped the sync
     * @throws NullPointerException if {@code clientId} is null
     * @throws IllegalArgumentException if {@code clientId} is empty
     */
    public CompletableFuture<Boolean> isUserPresent(String clientId) {
        Objects.requireNonNull(clientId, "clientId must not be null");
        return get(PresenceParams.builder().clientId(clientId).build()).thenApply(list -> !list.isEmpty());
    }

    /**
     * Listens to enter, leave, update and present events, on the client's listener executor, until
     * unsubscribed. Each call is a new, independent {@link Subscription}.
     *
     * @param listener called with each event
     * @return the subscription, to stop the listener
     * @throws NullPointerException if {@code listener} is null
     * @throws ChatException 102108 ({@link ChatException#FEATURE_NOT_ENABLED_IN_ROOM}) if presence events are
     *         not enabled in the room's options
     */
    public Subscription subscribe(PresenceListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        if (!room.options().presenceEvents()) {
            throw new ChatException(ChatException.FEATURE_NOT_ENABLED_IN_ROOM, 400,
                    "presence events are not enabled for room '" + room.name() + "'");
        }
        return listeners.add(listener);
    }

    /** What ably-java's enter/update/leave do, but with the data already encoded (JSON text keeps nulls). */
    private CompletableFuture<Void> send(PresenceMessage.Action action, String operation, Object data) {
        JsonData.Wire wire = JsonData.toWire(data);
        return call(operation, () -> AblyCalls.run(l -> {
            PresenceMessage m = new PresenceMessage(action, null, wire.data());
            m.encoding = wire.encoding();
            channel.presence.updatePresence(m, l);
        }));
    }

    private <T> CompletableFuture<T> call(String operation, Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> started;
        try {
            room.requireAttachedOrAttaching(operation);
            started = op.get();
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ctx.deliver(started);
    }

    private void onPresenceMessage(PresenceMessage m) {
        PresenceEventType type = switch (m.action) {
            case enter -> PresenceEventType.ENTER;
            case leave -> PresenceEventType.LEAVE;
            case update -> PresenceEventType.UPDATE;
            case present -> PresenceEventType.PRESENT;
            default -> null;
        };
        if (type == null) {
            return;
        }
        PresenceEvent event = new PresenceEvent(type, member(m));
        listeners.dispatch(l -> l.onEvent(event));
    }

    /** ably-java 1.5.0 does not decode presence extras (see {@link PresenceMember#extras()}): always null here. */
    private static PresenceMember member(PresenceMessage m) {
        return new PresenceMember(m.clientId, m.connectionId, JsonData.fromWire(m.data), null,
                Instant.ofEpochMilli(m.timestamp));
    }

    void close() {
        if (bridge != null) {
            channel.presence.unsubscribe(bridge);
        }
        listeners.clear();
    }
}
