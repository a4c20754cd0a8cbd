package io.rollcall.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The rooms of a {@link ChatClient}, one {@link Room} per name. Asking again for a room with the same options
 * gives the same room; with different options it fails with 102107. {@link #release(String)} detaches the room
 * and frees it; a later {@code get} of that name gives a fresh room.
 */
public final class Rooms {
    private final ChatContext ctx;
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> releasing = new HashMap<>();

    Rooms(ChatContext ctx) {
        this.ctx = ctx;
    }

    /** The room with default options: presence events on, occupancy events off. */
    public CompletableFuture<Room> get(String name) {
        return get(name, RoomOptions.defaults());
    }

    /** The room of that name with these options: the existing one if the options match, else 102107. */
    public CompletableFuture<Room> get(String name, RoomOptions options) {
        if (name == null || name.isEmpty()) {
            return CompletableFuture.failedFuture(new ChatException(40000, 400, "room name must not be empty"));
        }
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = releasing.get(name);
        }
        if (pending != null) {
            // A release of this name is still under way: the new room waits for it to finish.
            return pending.handle((v, t) -> null).thenCompose(v -> get(name, options));
        }
        synchronized (this) {
            Room existing = rooms.get(name);
            if (existing != null) {
                if (!existing.options().equals(options)) {
                    return CompletableFuture.failedFuture(new ChatException(ChatException.ROOM_EXISTS_WITH_DIFFERENT_OPTIONS, 400,
                            "room '" + name + "' already exists with different options: " + existing.options()));
                }
                return CompletableFuture.completedFuture(existing);
            }
            Room room = new Room(ctx, name, options);
            rooms.put(name, room);
            return CompletableFuture.completedFuture(room);
        }
    }

    /** Detaches and frees the room; completes when it is {@link RoomStatus#RELEASED}. */
    public CompletableFuture<Void> release(String name) {
        Room room;
        CompletableFuture<Void> done;
        synchronized (this) {
            CompletableFuture<Void> pending = releasing.get(name);
            if (pending != null) {
                return pending;
            }
            room = rooms.remove(name);
            if (room == null) {
                return CompletableFuture.completedFuture(null);
            }
            done = new CompletableFuture<>();
            releasing.put(name, done);
        }
        room.release().whenComplete((v, t) -> {
            synchronized (this) {
                releasing.remove(name);
            }
            if (t != null) {
                done.completeExceptionally(t);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    CompletableFuture<Void> releaseAll() {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(rooms.keySet());
        }
        return CompletableFuture.allOf(names.stream().map(this::release).toArray(CompletableFuture[]::new));
    }
}
