package io.rollcall.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ably.lib.realtime.Channel;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reactions to the room as a whole, such as a burst of 🎉 during a live event: ephemeral (never stored), seen
 * by whoever is attached when they are sent.
 *
 * <pre>{@code
 * room.reactions().subscribe(e -> System.out.println(e.reaction().clientId() + " reacted " + e.reaction().name()));
 * room.reactions().send("🎉").join();
 * }</pre>
 */
public final class RoomReactions {
    static final String EVENT_NAME = "roomReaction";

    private final ChatContext ctx;
    private final Channel channel;
    private final Listeners<RoomReactionListener> listeners;
    private final Channel.MessageListener bridge = this::onMessage;

    RoomReactions(ChatContext ctx, Channel channel) {
        this.ctx = ctx;
        this.channel = channel;
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        AblyCalls.now(() -> channel.subscribe(EVENT_NAME, bridge));
    }

    /**
     * Sends a reaction with just a name.
     *
     * @param name the reaction, for example an emoji
     * @return a future completed once the server has accepted it; it fails with {@link ChatException} 80003 if
     *         the connection is not connected, or with the server's error (40160 without {@code publish})
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public CompletableFuture<Void> send(String name) {
        return send(RoomReactionParams.builder(name).build());
    }

    /**
     * Sends a reaction.
     *
     * @param params the name, metadata and headers
     * @return a future completed once the server has accepted it; it fails with {@link ChatException} 80003 if
     *         the connection is not connected, or with the server's error (40160 without {@code publish})
     * @throws NullPointerException if {@code params} is null
     */
    public CompletableFuture<Void> send(RoomReactionParams params) {
        Objects.requireNonNull(params, "params must not be null");
        JsonObject data = new JsonObject();
        data.addProperty("name", params.name());
        JsonObject metadata = JsonData.toObject(params.metadata(), "reaction metadata");
        data.add("metadata", metadata == null ? new JsonObject() : metadata);
        JsonObject extras = new JsonObject();
        JsonObject headers = JsonData.toObject(params.headers(), "reaction headers");
        extras.add("headers", headers == null ? new JsonObject() : headers);
        JsonData.Wire wire = new JsonData.Wire(JsonData.text(data), "json");
        return ctx.deliver(AblyCalls.publishEphemeral(ctx.realtime(), channel, EVENT_NAME, wire, extras, "room reaction"));
    }

    /**
     * Listens to the room's reactions, on the client's listener executor, until unsubscribed. The room must be
     * attached to receive them.
     *
     * @param listener called with each reaction
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription subscribe(RoomReactionListener listener) {
        return listeners.add(listener);
    }

    private void onMessage(io.ably.lib.types.Message m) {
        JsonObject data = m.data instanceof JsonElement d && d.isJsonObject() ? d.getAsJsonObject() : new JsonObject();
        JsonObject extras = MessageReader.extras(m.extras);
        String clientId = m.clientId == null ? "" : m.clientId;
        RoomReaction reaction = new RoomReaction(MessageReader.string(data, "name", ""),
                JsonData.objectOrEmpty(data, "metadata"), JsonData.objectOrEmpty(extras, "headers"),
                m.timestamp != 0 ? Instant.ofEpochMilli(m.timestamp) : Instant.now(), clientId,
                clientId.equals(ctx.realtime().auth.clientId), MessageReader.string(extras, "userClaim", null));
        RoomReactionEvent event = new RoomReactionEvent(reaction);
        listeners.dispatch(l -> l.onReaction(event));
    }

    void close() {
        channel.unsubscribe(EVENT_NAME, bridge);
        listeners.clear();
    }
}
