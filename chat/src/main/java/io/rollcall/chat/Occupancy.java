package io.rollcall.chat;

import io.ably.lib.realtime.Channel;
import io.ably.lib.types.Message;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * How many connections and presence members a room has.
 *
 * <pre>{@code
 * Room room = chat.rooms().get("my-room", RoomOptions.builder().occupancyEvents(true).build()).join();
 * room.attach().join();
 * Subscription s = room.occupancy().subscribe(event ->
 *     System.out.println("Room has " + event.occupancy().connections() + " connections and "
 *         + event.occupancy().presenceMembers() + " presence members"));
 * OccupancyData now = room.occupancy().get().join();      // works even without occupancy events
 * room.occupancy().current().ifPresent(c -> System.out.println("Cached: " + c.connections()));
 * s.unsubscribe();
 * }</pre>
 */
public final class Occupancy {
    private final ChatContext ctx;
    private final Room room;
    private final Channel channel;
    private final Listeners<OccupancyListener> listeners;
    private final io.ably.lib.realtime.Channel.MessageListener bridge;
    private volatile OccupancyData current;

    Occupancy(ChatContext ctx, Room room, Channel channel) {
        this.ctx = ctx;
        this.room = room;
        this.channel = channel;
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        if (room.options().occupancyEvents()) {
            this.bridge = this::onMessage;
            try {
                channel.subscribe("[meta]occupancy", bridge);
            } catch (io.ably.lib.types.AblyException e) {
                throw new ChatException(AblyCalls.convert(e.errorInfo));
            }
        } else {
            this.bridge = null;
        }
    }

    /**
     * Asks the server for the room's occupancy now (REST); the room need not be attached, nor occupancy events
     * enabled.
     *
     * @return a future of the occupancy, completed on the client's completion pool; it fails with
     *         {@link ChatException} carrying the server's error
     */
    public CompletableFuture<OccupancyData> get() {
        ChatRest rest = room.rest();
        return ctx.deliver(rest.call("GET", rest.path("/occupancy"), null, null).thenApply(r -> {
            Map<String, Object> body = JsonData.toMap(ChatRest.first(r));
            return new OccupancyData(count(body, "connections"), count(body, "presenceMembers"));
        }));
    }

    /**
     * Listens to occupancy events, on the client's listener executor, until unsubscribed. The room must be
     * attached to receive them.
     *
     * @param listener called with each event
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     * @throws ChatException 102108 ({@link ChatException#FEATURE_NOT_ENABLED_IN_ROOM}) if occupancy events are
     *         not enabled in the room's options
     */
    public Subscription subscribe(OccupancyListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        requireEvents();
        return listeners.add(listener);
    }

    /**
     * The occupancy of the latest event.
     *
     * @return the latest occupancy, empty until the first event arrives
     * @throws ChatException 102108 if occupancy events are not enabled in the room's options
     */
    public Optional<OccupancyData> current() {
        requireEvents();
        return Optional.ofNullable(current);
    }

    /**
     * Occupancy events as a {@link Flow.Publisher}, the Java counterpart of Kotlin's {@code asFlow()}. Each
     * subscriber gets events as it requests them; occupancy is a state, so while a subscriber has no
     * outstanding demand only the latest event is kept for it. Cancelling unsubscribes. Signals are delivered
     * on the client's listener executor, or on the thread calling {@code request}.
     *
     * @return a publisher of this room's occupancy events
     * @throws ChatException 102108 if occupancy events are not enabled in the room's options
     */
    public Flow.Publisher<OccupancyEvent> asPublisher() {
        requireEvents();
        return new OccupancyPublisher(this);
    }

    private void requireEvents() {
        if (!room.options().occupancyEvents()) {
            throw new ChatException(ChatException.FEATURE_NOT_ENABLED_IN_ROOM, 400,
                    "occupancy events are not enabled for room '" + room.name() + "'");
        }
    }

    private void onMessage(Message m) {
        Map<String, Object> data = JsonData.toMap(m.data);
        if (data == null || !(data.get("metrics") instanceof Map<?, ?> metrics) || !metrics.containsKey("connections")) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mm = (Map<String, Object>) metrics;
        OccupancyData occupancy = new OccupancyData(count(mm, "connections"), count(mm, "presenceMembers"));
        current = occupancy;
        OccupancyEvent event = new OccupancyEvent(OccupancyEventType.UPDATED, occupancy);
        listeners.dispatch(l -> l.onEvent(event));
    }

    private static int count(Map<String, Object> m, String key) {
        return m != null && m.get(key) instanceof Number n ? n.intValue() : 0;
    }

    /** For {@link OccupancyPublisher}: a listener outside the user's, same ordering guarantees. */
    Subscription listen(OccupancyListener listener) {
        return listeners.add(listener);
    }

    void close() {
        if (bridge != null) {
            channel.unsubscribe("[meta]occupancy", bridge);
        }
        listeners.clear();
    }
}
