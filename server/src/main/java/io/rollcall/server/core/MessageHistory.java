package io.rollcall.server.core;

import io.rollcall.server.protocol.BaseMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A channel's recent history, as its engine keeps it: in memory on one node, in Redis for a cluster (so any
 * node answers). Each kind is its own ordered log per channel, bounded by retention time and size; an entry
 * is a message exactly as published (id, clientId, connectionId, name or action, data, encoding, extras,
 * timestamp) under a {@link HistorySerial} that orders it within its log. Brokers append what they publish;
 * the core reads (REST history, {@code rewind}, {@code untilAttach}). Lookups by serial are there for
 * stores that version messages (Chat) to build on.
 */
public interface MessageHistory extends AutoCloseable {
    /** The separate logs a channel has: messages, presence events, and annotations of messages (Chat reactions). */
    enum Kind { MESSAGES, PRESENCE, ANNOTATIONS }

    /** Appends in order; completes with each one's serial. */
    CompletableFuture<List<HistorySerial>> append(ChannelKey channel, Kind kind, List<? extends BaseMessage> messages);

    /** The entries in the query's range, in its direction, within retention. */
    CompletableFuture<List<HistoryEntry>> query(ChannelKey channel, Kind kind, HistoryQuery query);

    /** The newest serial in the log ({@link HistorySerial#ZERO} when empty). */
    CompletableFuture<HistorySerial> head(ChannelKey channel, Kind kind);

    /** One entry by its serial, if still retained. */
    default CompletableFuture<Optional<HistoryEntry>> get(ChannelKey channel, Kind kind, HistorySerial serial) {
        return query(channel, kind, new HistoryQuery(serial, serial, true, 1))
                .thenApply(list -> list.stream().filter(e -> e.serial().equals(serial)).findFirst());
    }

    @Override
    void close();
}
