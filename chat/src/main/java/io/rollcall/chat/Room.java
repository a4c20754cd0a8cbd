package io.rollcall.chat;

import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ChannelMode;
import io.ably.lib.types.ChannelOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A chat room: one realtime channel, {@code <name>::$chat}, shared by its features ({@link #messages()},
 * {@link #presence()}, {@link #occupancy()}, {@link #reactions()}, {@link #typing()}). Attach it to take part;
 * its status follows the Chat lifecycle ({@link RoomStatus}).
 *
 * <pre>{@code
 * Room room = chat.rooms().get("my-room", RoomOptions.builder().occupancyEvents(true).build()).join();
 * room.onStatusChange(change -> System.out.println("room is " + change.current()));
 * room.attach().join();
 * }</pre>
 */
public final class Room {
    private final ChatContext ctx;
    private final String name;
    private final RoomOptions options;
    private final Channel channel;
    private final Listeners<RoomStatusListener> statusListeners;
    private final Listeners<DiscontinuityListener> discontinuityListeners;
    private final ChannelStateListener channelListener;
    private final Presence presence;
    private final Occupancy occupancy;
    private final ChatRest rest;
    private final Messages messages;
    private final RoomReactions reactions;
    private final Typing typing;
    private volatile RoomStatus status = RoomStatus.INITIALIZED;
    private volatile ErrorInfo error;
    /** Set once attached, cleared by an explicit detach: a later attach without continuity is a discontinuity. */
    private volatile boolean wasAttached;

    Room(ChatContext ctx, String name, RoomOptions options) {
        this.ctx = ctx;
        this.name = name;
        this.options = options;
        this.statusListeners = new Listeners<>(ctx.listenerExecutor());
        this.discontinuityListeners = new Listeners<>(ctx.listenerExecutor());
        try {
            this.channel = ctx.realtime().channels.get(name + "::$chat", channelOptions(options));
        } catch (AblyException e) {
            throw new ChatException(AblyCalls.convert(e.errorInfo));
        }
        this.channelListener = this::onChannelStateChange;
        channel.on(channelListener);
        this.rest = new ChatRest(ctx, name);
        this.presence = new Presence(ctx, this, channel);
        this.occupancy = new Occupancy(ctx, this, channel);
        this.messages = new Messages(ctx, this, channel, rest);
        this.reactions = new RoomReactions(ctx, channel);
        this.typing = new Typing(ctx, channel, options.typingHeartbeatThrottle());
    }

    /** The modes and params every Chat SDK attaches a room with, for these options. */
    private static ChannelOptions channelOptions(RoomOptions options) {
        ChannelOptions o = new ChannelOptions();
        List<ChannelMode> modes = new ArrayList<>(List.of(ChannelMode.publish, ChannelMode.subscribe,
                ChannelMode.presence, ChannelMode.annotation_publish));
        if (options.presenceEvents()) {
            modes.add(ChannelMode.presence_subscribe);
        }
        if (options.rawMessageReactions()) {
            modes.add(ChannelMode.annotation_subscribe);
        }
        o.modes = modes.toArray(new ChannelMode[0]);
        if (options.occupancyEvents()) {
            o.params = Map.of("occupancy", "metrics");
        }
        // Subscribing to a feature is local: only attach() attaches.
        o.attachOnSubscribe = false;
        return o;
    }

    /**
     * The room's name.
     *
     * @return the name (its channel is {@code <name>::$chat})
     */
    public String name() {
        return name;
    }

    /**
     * The options the room was created with.
     *
     * @return the options
     */
    public RoomOptions options() {
        return options;
    }

    /**
     * The room's current status.
     *
     * @return the status
     */
    public RoomStatus status() {
        return status;
    }

    /**
     * The error behind the current status.
     *
     * @return the error (for FAILED or SUSPENDED), or null
     */
    public ErrorInfo error() {
        return error;
    }

    /**
     * Who is in the room.
     *
     * @return the room's presence
     */
    public Presence presence() {
        return presence;
    }

    /**
     * How many connections and members the room has.
     *
     * @return the room's occupancy
     */
    public Occupancy occupancy() {
        return occupancy;
    }

    /**
     * The room's chat messages and their reactions.
     *
     * @return the room's messages
     */
    public Messages messages() {
        return messages;
    }

    /**
     * Reactions to the room as a whole.
     *
     * @return the room's reactions
     */
    public RoomReactions reactions() {
        return reactions;
    }

    /**
     * Who is typing.
     *
     * @return the room's typing indicators
     */
    public Typing typing() {
        return typing;
    }

    /** The room's Chat REST API. */
    ChatRest rest() {
        return rest;
    }

    /**
     * Listens to status changes, on the client's listener executor, until unsubscribed.
     *
     * @param listener called with each change
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription onStatusChange(RoomStatusListener listener) {
        return statusListeners.add(listener);
    }

    /**
     * Listens for lost continuity (events may have been missed), on the client's listener executor, until
     * unsubscribed.
     *
     * @param listener called with the error that explains the discontinuity
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription onDiscontinuity(DiscontinuityListener listener) {
        return discontinuityListeners.add(listener);
    }

    /**
     * Attaches the room.
     *
     * @return a future completed (on the client's completion pool) when the room is {@link RoomStatus#ATTACHED};
     *         it fails with {@link ChatException} 102103 if the room was released, or with the server's error
     *         (for example 40160 without the capability)
     */
    public CompletableFuture<Void> attach() {
        if (isReleased()) {
            return CompletableFuture.failedFuture(released());
        }
        return ctx.deliver(AblyCalls.run(channel::attach));
    }

    /**
     * Detaches the room: its presence members leave and it stops counting towards occupancy.
     *
     * @return a future completed (on the client's completion pool) when the room is {@link RoomStatus#DETACHED};
     *         it fails with {@link ChatException} 102103 if the room was released, or with the server's error
     */
    public CompletableFuture<Void> detach() {
        if (isReleased()) {
            return CompletableFuture.failedFuture(released());
        }
        wasAttached = false;
        return ctx.deliver(AblyCalls.run(channel::detach));
    }

    private boolean isReleased() {
        return status == RoomStatus.RELEASING || status == RoomStatus.RELEASED;
    }

    private ChatException released() {
        return new ChatException(ChatException.ROOM_IS_RELEASED, 400, "room '" + name + "' has been released");
    }

    /** Detaches if needed, then frees the channel. */
    CompletableFuture<Void> release() {
        setStatus(RoomStatus.RELEASING, null);
        ChannelState s = channel.state;
        CompletableFuture<Void> detached = (s == ChannelState.attached || s == ChannelState.attaching)
                ? AblyCalls.run(channel::detach).exceptionally(t -> null)
                : CompletableFuture.completedFuture(null);
        return detached.thenRun(() -> {
            channel.off(channelListener);
            presence.close();
            occupancy.close();
            messages.close();
            reactions.close();
            typing.close();
            ctx.realtime().channels.release(channel.name);
            setStatus(RoomStatus.RELEASED, null);
            statusListeners.clear();
            discontinuityListeners.clear();
        });
    }

    private void onChannelStateChange(ChannelStateListener.ChannelStateChange change) {
        if (isReleased()) {
            return;
        }
        ErrorInfo reason = AblyCalls.convert(change.reason);
        if (change.current == ChannelState.attached) {
            if (wasAttached && !change.resumed) {
                ErrorInfo why = reason != null ? reason
                        : new ErrorInfo(102100, 500, "room '" + name + "' re-attached without continuity; events may have been missed");
                discontinuityListeners.dispatch(l -> l.onDiscontinuity(why));
            }
            wasAttached = true;
        }
        RoomStatus next = switch (change.current) {
            case initialized -> RoomStatus.INITIALIZED;
            case attaching -> RoomStatus.ATTACHING;
            case attached -> RoomStatus.ATTACHED;
            case detaching -> RoomStatus.DETACHING;
            case detached -> RoomStatus.DETACHED;
            case suspended -> RoomStatus.SUSPENDED;
            case failed -> RoomStatus.FAILED;
        };
        setStatus(next, reason);
    }

    private void setStatus(RoomStatus next, ErrorInfo reason) {
        RoomStatus previous;
        synchronized (this) {
            previous = status;
            if (previous == next) {
                return;
            }
            status = next;
            error = reason;
        }
        RoomStatusChange change = new RoomStatusChange(next, previous, reason);
        statusListeners.dispatch(l -> l.onStatusChange(change));
    }

    /** Presence operations need the room attached or attaching (Chat's 102112 otherwise; 102103 once released). */
    void requireAttachedOrAttaching(String operation) {
        if (isReleased()) {
            throw released();
        }
        RoomStatus s = status;
        if (s != RoomStatus.ATTACHED && s != RoomStatus.ATTACHING) {
            throw new ChatException(ChatException.ROOM_IN_INVALID_STATE, 400,
                    "cannot " + operation + ": room '" + name + "' is " + s.name().toLowerCase() + ", not attached");
        }
    }
}
