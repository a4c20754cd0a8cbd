package io.rollcall.server.core;

import io.rollcall.server.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members present on one channel, keyed by (connectionId, clientId). Members are stored as the event
 * that made them present, with its original id and timestamp, so SYNC can replay them as PRESENT and clients
 * can order them (Ably RTP2b). Not thread-safe: the owning {@link Channel} guards it.
 */
public final class PresenceSet {
    private final Map<String, PresenceMessage> members = new LinkedHashMap<>();
    /** Member keys by connection, so a leaving connection's members are found without a scan. */
    private final Map<String, List<String>> byConnection = new HashMap<>();
    /** Counts changes, so what is derived from the set (its SYNC pages) knows when it is stale. */
    private long version;

    /** Applies an ENTER/UPDATE/PRESENT (upsert) or LEAVE (remove). Returns the member it replaced or removed. */
    PresenceMessage apply(PresenceMessage event) {
        version++;
        String key = event.memberKey();
        if (event.action == PresenceMessage.LEAVE || event.action == PresenceMessage.ABSENT) {
            PresenceMessage removed = members.remove(key);
            if (removed != null) {
                List<String> keys = byConnection.get(event.connectionId);
                if (keys != null && keys.remove(key) && keys.isEmpty()) {
                    byConnection.remove(event.connectionId);
                }
            }
            return removed;
        }
        PresenceMessage present = event.withAction(PresenceMessage.PRESENT);
        PresenceMessage previous = members.put(key, present);
        if (previous == null) {
            // Usually one member per connection: a small list is the cheapest index.
            byConnection.computeIfAbsent(event.connectionId, c -> new ArrayList<>(1)).add(key);
        }
        return previous;
    }

    PresenceMessage get(String connectionId, String clientId) {
        return members.get(connectionId + ':' + clientId);
    }

    boolean contains(String connectionId, String clientId) {
        return members.containsKey(connectionId + ':' + clientId);
    }

    /** Members entered by one connection (it may hold several clientIds when it is a wildcard connection). */
    List<PresenceMessage> ofConnection(String connectionId) {
        List<String> keys = byConnection.get(connectionId);
        if (keys == null) {
            return List.of();
        }
        List<PresenceMessage> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(members.get(key));
        }
        return out;
    }

    int countOf(String connectionId) {
        List<String> keys = byConnection.get(connectionId);
        return keys == null ? 0 : keys.size();
    }

    java.util.Set<String> connectionIds() {
        return byConnection.keySet();
    }

    List<PresenceMessage> snapshot() {
        return new ArrayList<>(members.values());
    }

    int size() {
        return members.size();
    }

    long version() {
        return version;
    }
}
