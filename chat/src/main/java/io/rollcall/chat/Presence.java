package io.rollcall.chat;

import io.ably.lib.realtime.Channel;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    /** Enters this client into the room's presence set, with no data. */
    public CompletableFuture<Void> enter() {
        return enter(null);
    }

    /** Enters this client into the room's presence set with data (a JSON object). */
    public CompletableFuture<Void> enter(Map<String, ?> data) {
        return call("enter", () -> AblyCalls.run(l -> channel.presence.enter(JsonData.toJson(data), l)));
    }

    /** Replaces this client's presence data; enters it if it is not present. */
    public CompletableFuture<Void> update(Map<String, ?> data) {
        return call("update presence", () -> AblyCalls.run(l -> channel.presence.update(JsonData.toJson(data), l)));
    }

    /** Leaves the presence set; others see the member's last data. */
    public CompletableFuture<Void> leave() {
        return leave(null);
    }

    /** Leaves the presence set with final data. */
    public CompletableFuture<Void> leave(Map<String, ?> data) {
        return call("leave presence", () -> AblyCalls.run(l -> channel.presence.leave(JsonData.toJson(data), l)));
    }

    /** Every member, once the presence set is in sync. */
    public CompletableFuture<List<PresenceMember>> get() {
        return get(PresenceParams.all());
    }

    /** The members matching the filters. */
    public CompletableFuture<List<PresenceMember>> get(PresenceParams params) {
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

    /** Whether any connection of that clientId is present. */
    public CompletableFuture<Boolean> isUserPresent(String clientId) {
        return get(PresenceParams.builder().clientId(clientId).build()).thenApply(list -> !list.isEmpty());
    }

    /**
     * Listens to enter, leave, update and present events. Needs presence events enabled in the room's
     * options, else throws {@link ChatException} 102108.
     */
    public Subscription subscribe(PresenceListener listener) {
        if (!room.options().presenceEvents()) {
            throw new ChatException(ChatException.FEATURE_NOT_ENABLED_IN_ROOM, 400,
                    "presence events are not enabled for room '" + room.name() + "'");
        }
        return listeners.add(listener);
    }

    private <T> CompletableFuture<T> call(String operation, java.util.function.Supplier<CompletableFuture<T>> op) {
        try {
            room.requireAttachedOrAttaching(operation);
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        }
        return op.get().handle((v, t) -> {
            if (t != null) {
                throw AblyCalls.exception(t);
            }
            return v;
        });
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

    /** ably-java 1.5.0 does not decode presence extras, so they are always null here. */
    private static PresenceMember member(PresenceMessage m) {
        return new PresenceMember(m.clientId, m.connectionId, JsonData.toMap(m.data), null,
                Instant.ofEpochMilli(m.timestamp));
    }

    void close() {
        if (bridge != null) {
            channel.presence.unsubscribe(bridge);
        }
        listeners.clear();
    }
}
