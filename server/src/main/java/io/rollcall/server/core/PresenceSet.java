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
    /**
     * Member keys by connection, so a leaving connection's members are found without a scan: the key itself
     * for the usual one member per connection, a {@code List<String>} for more (a list per member would cost
     * 48 bytes more each).
     */
    private final Map<String, Object> byConnection = new HashMap<>();

    /** Applies an ENTER/UPDATE/PRESENT (upsert) or LEAVE (remove). Returns the member it replaced or removed. */
    PresenceMessage apply(PresenceMessage event) {
        String key = event.memberKey();
        if (event.action == PresenceMessage.LEAVE || event.action == PresenceMessage.ABSENT) {
            PresenceMessage removed = members.remove(key);
            if (removed != null) {
                Object keys = byConnection.get(event.connectionId);
                if (key.equals(keys)) {
                    byConnection.remove(event.connectionId);
                } else if (keys instanceof List<?> list && list.remove(key) && list.isEmpty()) {
                    byConnection.remove(event.connectionId);
                }
            }
            return removed;
        }
        PresenceMessage present = event.withAction(PresenceMessage.PRESENT);
        PresenceMessage previous = members.put(key, present);
        if (previous == null) {
            byConnection.merge(event.connectionId, key, PresenceSet::withKey);
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
        List<String> keys = keysOf(byConnection.get(connectionId));
        List<PresenceMessage> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(members.get(key));
        }
        return out;
    }

    int countOf(String connectionId) {
        return keysOf(byConnection.get(connectionId)).size();
    }

    /** A connection's entry in {@link #byConnection} with one more key: the key alone, or a list of them. */
    @SuppressWarnings("unchecked")
    private static Object withKey(Object existing, Object key) {
        if (existing instanceof String one) {
            List<String> list = new ArrayList<>(2);
            list.add(one);
            list.add((String) key);
            return list;
        }
        ((List<String>) existing).add((String) key);
        return existing;
    }

    @SuppressWarnings("unchecked")
    private static List<String> keysOf(Object entry) {
        if (entry == null) {
            return List.of();
        }
        return entry instanceof String one ? List.of(one) : (List<String>) entry;
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
}
