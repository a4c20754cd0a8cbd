package io.rollcall.chat;

import java.time.Instant;
import java.util.Map;

/**
 * A user present in a room: one clientId on one connection. {@code data} and {@code extras} are JSON objects
 * as immutable maps (values are maps, lists, strings, numbers, booleans or null), or null when absent.
 */
public record PresenceMember(String clientId, String connectionId, Map<String, Object> data,
                             Map<String, Object> extras, Instant updatedAt) {
}
