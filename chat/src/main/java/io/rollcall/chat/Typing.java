package io.rollcall.chat;

import com.google.gson.JsonObject;
import io.ably.lib.realtime.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Who is typing in a room, as Ably Chat does it: {@link #keystroke()} on each keystroke sends
 * {@code typing.started} at most once per heartbeat interval ({@link RoomOptions#typingHeartbeatThrottle()},
 * 10 s by default); {@link #stop()} sends {@code typing.stopped}. A client that sends no heartbeat for the
 * interval plus 2 s is taken to have stopped. Typing events are ephemeral.
 *
 * <pre>{@code
 * room.typing().subscribe(e -> System.out.println("typing: " + e.currentlyTyping()));
 * room.typing().keystroke().join();
 * room.typing().stop().join();
 * }</pre>
 *
 * <p>{@code keystroke} and {@code stop} run one after another in call order; they fail with
 * {@link ChatException} 80003 when the connection is not connected, or with the server's error.
 */
public final class Typing {
    /** How long past a missed heartbeat a typer is kept, as in every Chat SDK. */
    private static final long GRACE_MS = 2_000;
    private static final String[] NAMES = {TypingEventType.STARTED.wireValue(), TypingEventType.STOPPED.wireValue()};

    private final ChatContext ctx;
    private final Channel channel;
    private final long heartbeatMs;
    private final Listeners<TypingListener> listeners;
    private final Channel.MessageListener bridge = this::onMessage;
    /** Typers by clientId, with the timer that drops them (guarded by this). */
    private final Map<String, Typer> typers = new LinkedHashMap<>();
    /** Operations of this client, one after another (guarded by this). */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /** When this client's last typing.started stops counting as a heartbeat; 0 when not typing (guarded by this). */
    private long heartbeatUntil;

    Typing(ChatContext ctx, Channel channel, Duration heartbeat) {
        this.ctx = ctx;
        this.channel = channel;
        this.heartbeatMs = heartbeat.toMillis();
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        AblyCalls.now(() -> channel.subscribe(NAMES, bridge));
    }

    /**
     * Says this client is typing: sends {@code typing.started} unless one was sent within the heartbeat
     * interval.
     *
     * @return a future completed once sent (or at once if not needed)
     */
    public CompletableFuture<Void> keystroke() {
        return ctx.deliver(serially(() -> {
            long now = System.currentTimeMillis();
            synchronized (this) {
                if (heartbeatUntil > now) {
                    return CompletableFuture.completedFuture(null);
                }
            }
            return publish(TypingEventType.STARTED).thenRun(() -> {
                synchronized (this) {
                    heartbeatUntil = now + heartbeatMs;
                }
            });
        }));
    }

    /**
     * Says this client stopped typing: sends {@code typing.stopped} if it is typing.
     *
     * @return a future completed once sent (or at once if not typing)
     */
    public CompletableFuture<Void> stop() {
        return ctx.deliver(serially(() -> {
            synchronized (this) {
                if (heartbeatUntil <= System.currentTimeMillis()) {
                    heartbeatUntil = 0;
                    return CompletableFuture.completedFuture(null);
                }
            }
            return publish(TypingEventType.STOPPED).thenRun(() -> {
                synchronized (this) {
                    heartbeatUntil = 0;
                }
            });
        }));
    }

    /**
     * The clientIds typing now (this client's included, once its own event comes back).
     *
     * @return an unmodifiable set
     */
    public synchronized Set<String> current() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(typers.keySet()));
    }

    /**
     * The clients typing now, with their claims.
     *
     * @return an unmodifiable list
     */
    public synchronized List<TypingMember> currentTypers() {
        List<TypingMember> out = new ArrayList<>();
        typers.forEach((id, t) -> out.add(new TypingMember(id, t.userClaim)));
        return Collections.unmodifiableList(out);
    }

    /**
     * Listens to typing changes, on the client's listener executor, until unsubscribed. The room must be
     * attached to receive them.
     *
     * @param listener called when a client starts or stops typing
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription subscribe(TypingListener listener) {
        return listeners.add(listener);
    }

    private synchronized CompletableFuture<Void> serially(Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> next = tail.handle((v, t) -> null).thenCompose(v -> op.get());
        tail = next;
        return next;
    }

    private CompletableFuture<Void> publish(TypingEventType type) {
        return AblyCalls.publishEphemeral(ctx.realtime(), channel, type.wireValue(), null, null, "typing event");
    }

    private void onMessage(io.ably.lib.types.Message m) {
        String clientId = m.clientId;
        if (clientId == null || clientId.isEmpty()) {
            return;
        }
        JsonObject extras = MessageReader.extras(m.extras);
        String claim = MessageReader.string(extras, "userClaim", null);
        if (TypingEventType.STARTED.wireValue().equals(m.name)) {
            started(clientId, claim);
        } else if (TypingEventType.STOPPED.wireValue().equals(m.name)) {
            stopped(clientId, claim, null);
        }
    }

    private synchronized void started(String clientId, String claim) {
        Typer typer = new Typer(claim);
        typer.timer = ctx.timers().schedule(() -> stopped(clientId, claim, typer), heartbeatMs + GRACE_MS, TimeUnit.MILLISECONDS);
        Typer previous = typers.put(clientId, typer);
        if (previous != null) {
            previous.timer.cancel(false);
            return;
        }
        emit(clientId, TypingEventType.STARTED, claim);
    }

    /** A stop, or (with {@code expired}) the timeout of that typer if it is still the current one. */
    private synchronized void stopped(String clientId, String claim, Typer expired) {
        Typer current = typers.get(clientId);
        if (current == null || (expired != null && current != expired)) {
            return;
        }
        typers.remove(clientId);
        current.timer.cancel(false);
        emit(clientId, TypingEventType.STOPPED, expired != null ? current.userClaim : claim);
    }

    /** Called with the lock held, so events are dispatched in the order the set changed. */
    private void emit(String clientId, TypingEventType type, String claim) {
        TypingSetEvent event = new TypingSetEvent(current(), currentTypers(), new TypingSetEvent.Change(clientId, type, claim));
        listeners.dispatch(l -> l.onEvent(event));
    }

    void close() {
        channel.unsubscribe(NAMES, bridge);
        synchronized (this) {
            typers.values().forEach(t -> t.timer.cancel(false));
            typers.clear();
        }
        listeners.clear();
    }

    private static final class Typer {
        final String userClaim;
        ScheduledFuture<?> timer;

        Typer(String userClaim) {
            this.userClaim = userClaim;
        }
    }
}
