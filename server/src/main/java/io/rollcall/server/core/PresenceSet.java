package io.rollcall.server.core;

import io.rollcall.server.protocol.PresenceMessage;
import java.util.ArrayList;
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

    /** Applies an ENTER/UPDATE/PRESENT (upsert) or LEAVE (remove). Returns the member it replaced or removed. */
    PresenceMessage apply(PresenceMessage event) {
        String key = event.memberKey();
        if (event.action == PresenceMessage.LEAVE || event.action == PresenceMessage.ABSENT) {
            return members.remove(key);
        }
        PresenceMessage present = event.withAction(PresenceMessage.PRESENT);
        return members.put(key, present);
    }

    PresenceMessage get(String connectionId, String clientId) {
        return members.get(connectionId + ':' + clientId);
    }

    boolean contains(String connectionId, String clientId) {
        return members.containsKey(connectionId + ':' + clientId);
    }

    /** Members entered by one connection (it may hold several clientIds when it is a wildcard connection). */
    List<PresenceMessage> ofConnection(String connectionId) {
        List<PresenceMessage> out = new ArrayList<>();
        for (PresenceMessage m : members.values()) {
            if (connectionId.equals(m.connectionId)) {
                out.add(m);
            }
        }
        return out;
    }

    List<PresenceMessage> snapshot() {
        return new ArrayList<>(members.values());
    }

    int size() {
        return members.size();
    }
}
