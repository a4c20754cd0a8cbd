package io.rollcall.chat;

import java.time.Instant;
import java.util.Map;

/**
 * A user present in a room: one clientId on one connection.
 *
 * @param clientId the user's clientId
 * @param connectionId the connection the member is on
 * @param data the member's presence data as sent, in the Java form given on {@link Presence} ("Presence
 *        data"): an unmodifiable {@code Map<String, Object>} for a JSON object, an unmodifiable
 *        {@code List<Object>} for an array, {@code String}, {@code Integer}/{@code Long}/{@code BigInteger} for
 *        integers, {@code Double} for other numbers, {@code Boolean}, {@code byte[]} for binary data; null when
 *        the member has no data
 * @param extras the presence message's {@code extras} JSON object. <b>Always null in this SDK</b>: ably-java
 *        1.5.0 (the newest release on Maven Central) has no {@code extras} field on {@code PresenceMessage}
 *        and skips the key while decoding, in JSON and msgpack; its only raw-protocol hook
 *        ({@code DebugOptions.RawProtocolListener}) sees messages after that decoding, so the extras are gone
 *        before the SDK sees them (short of replacing ably-java's WebSocket transport), although Rollcall
 *        delivers them and ably-js/@ably/chat show them
 * @param updatedAt when the server last changed this member (the presence message's timestamp)
 */
public record PresenceMember(String clientId, String connectionId, Object data,
                             Map<String, Object> extras, Instant updatedAt) {
}
