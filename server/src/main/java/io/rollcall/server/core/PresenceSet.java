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
    /** A member's identity; it shares the event's strings (a joined "connectionId:clientId" would cost 48 bytes more). */
    private record Member(String connectionId, String clientId) {}

    private final Map<Member, PresenceMessage> members = new LinkedHashMap<>();
    /**
     * The clientIds of each connection's members, so a leaving connection's members are found without a scan:
     * the clientId itself for the usual one member per connection, a {@code List<String>} for more.
     */
    private final Map<String, Object> byConnection = new HashMap<>();
    /** Counts changes, so what is derived from the set (its SYNC pages) knows when it is stale. */
    private long version;

    /** Applies an ENTER/UPDATE/PRESENT (upsert) or LEAVE (remove). Returns the member it replaced or removed. */
    PresenceMessage apply(PresenceMessage event) {
        version++;
        Member key = new Member(event.connectionId, event.clientId);
        if (event.action == PresenceMessage.LEAVE || event.action == PresenceMessage.ABSENT) {
            PresenceMessage removed = members.remove(key);
            if (removed != null) {
                Object clientIds = byConnection.get(event.connectionId);
                if (clientIds instanceof List<?> list) {
                    if (list.remove(event.clientId) && list.isEmpty()) {
                        byConnection.remove(event.connectionId);
                    }
                } else if (java.util.Objects.equals(clientIds, event.clientId)) {
                    byConnection.remove(event.connectionId);
                }
            }
            return removed;
        }
        PresenceMessage present = event.withAction(PresenceMessage.PRESENT);
        PresenceMessage previous = members.put(key, present);
        if (previous == null) {
            byConnection.merge(event.connectionId, event.clientId, PresenceSet::withClientId);
        }
        return previous;
    }

    PresenceMessage get(String connectionId, String clientId) {
        return members.get(new Member(connectionId, clientId));
    }

    boolean contains(String connectionId, String clientId) {
        return members.containsKey(new Member(connectionId, clientId));
    }

    /** Members entered by one connection (it may hold several clientIds when it is a wildcard connection). */
    List<PresenceMessage> ofConnection(String connectionId) {
        List<String> clientIds = clientIdsOf(byConnection.get(connectionId));
        List<PresenceMessage> out = new ArrayList<>(clientIds.size());
        for (String clientId : clientIds) {
            out.add(members.get(new Member(connectionId, clientId)));
        }
        return out;
    }

    int countOf(String connectionId) {
        return clientIdsOf(byConnection.get(connectionId)).size();
    }

    /** A connection's entry in {@link #byConnection} with one more clientId: the clientId alone, or a list of them. */
    @SuppressWarnings("unchecked")
    private static Object withClientId(Object existing, Object clientId) {
        if (existing instanceof List<?> list) {
            ((List<String>) list).add((String) clientId);
            return list;
        }
        List<String> both = new ArrayList<>(2);
        both.add((String) existing);
        both.add((String) clientId);
        return both;
    }

    @SuppressWarnings("unchecked")
    private static List<String> clientIdsOf(Object entry) {
        if (entry == null) {
            return List.of();
        }
        return entry instanceof List<?> list ? (List<String>) list : java.util.Collections.singletonList((String) entry);
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
