package io.rollcall.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * The room with default options: presence events on, occupancy events off.
     *
     * @param name the room's name
     * @return a future of the room (already complete unless a release of that name is under way); it fails
     *         with {@link ChatException} 102107 if the room exists with other options
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public CompletableFuture<Room> get(String name) {
        return get(name, RoomOptions.defaults());
    }

    /**
     * The room of that name with these options: the existing one if the options match.
     *
     * @param name the room's name
     * @param options the room's options
     * @return a future of the room (already complete unless a release of that name is under way); it fails
     *         with {@link ChatException} 102107 ({@link ChatException#ROOM_EXISTS_WITH_DIFFERENT_OPTIONS}) if
     *         the room exists with other options
     * @throws NullPointerException if {@code name} or {@code options} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public CompletableFuture<Room> get(String name, RoomOptions options) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(options, "options must not be null: use get(name) for the defaults");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("room name must not be empty");
        }
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = releasing.get(name);
        }
        if (pending != null) {
            // A release of this name is still under way: the new room waits for it to finish.
            return ctx.deliver(pending.handle((v, t) -> null).thenCompose(v -> get(name, options)));
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

    /**
     * Detaches and frees the room. Releasing a room that does not exist does nothing.
     *
     * @param name the room's name
     * @return a future completed (on the client's completion pool) when the room is {@link RoomStatus#RELEASED};
     *         each call returns a future of its own
     * @throws NullPointerException if {@code name} is null
     */
    public CompletableFuture<Void> release(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return ctx.deliver(releaseInternal(name));
    }

    private CompletableFuture<Void> releaseInternal(String name) {
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
        return CompletableFuture.allOf(names.stream().map(this::releaseInternal).toArray(CompletableFuture[]::new));
    }
}
