package io.rollcall.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ably.lib.types.MessageExtras;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat messages and reaction summaries from what the server sends: the REST v4 shape (send, history, get,
 * update, delete) and realtime {@code chat.message} and {@code message.summary} messages, read as every Chat
 * SDK reads them (missing fields become empty values; an unknown action is a create).
 */
final class MessageReader {
    private MessageReader() {}

    /** A message in the REST v4 shape. */
    static Message fromRest(JsonElement e) {
        JsonObject o = e != null && e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
        String serial = string(o, "serial", "");
        Instant timestamp = Instant.ofEpochMilli(number(o, "timestamp"));
        JsonObject v = o.has("version") && o.get("version").isJsonObject() ? o.getAsJsonObject("version") : new JsonObject();
        MessageVersion version = new MessageVersion(string(v, "serial", serial),
                v.has("timestamp") ? Instant.ofEpochMilli(number(v, "timestamp")) : timestamp,
                string(v, "clientId", null), string(v, "description", null), stringMap(v, "metadata"));
        JsonObject reactions = o.has("reactions") && o.get("reactions").isJsonObject() ? o.getAsJsonObject("reactions") : null;
        return new Message(serial, string(o, "clientId", ""), string(o, "text", ""), timestamp,
                JsonData.objectOrEmpty(o, "metadata"), JsonData.objectOrEmpty(o, "headers"), string(o, "userClaim", null),
                MessageAction.of(string(o, "action", "")), version, summary(reactions, "unique", "distinct", "multiple"));
    }

    /** A realtime {@code chat.message}; null if its action is not a chat one. */
    static Message fromRealtime(io.ably.lib.types.Message m) {
        MessageAction action = switch (m.action == null ? io.ably.lib.types.MessageAction.MESSAGE_CREATE : m.action) {
            case MESSAGE_CREATE -> MessageAction.MESSAGE_CREATE;
            case MESSAGE_UPDATE -> MessageAction.MESSAGE_UPDATE;
            case MESSAGE_DELETE -> MessageAction.MESSAGE_DELETE;
            default -> null;
        };
        if (action == null) {
            return null;
        }
        JsonObject data = m.data instanceof JsonElement d && d.isJsonObject() ? d.getAsJsonObject() : new JsonObject();
        JsonObject extras = extras(m.extras);
        String serial = m.serial == null ? "" : m.serial;
        Instant timestamp = Instant.ofEpochMilli(m.timestamp);
        io.ably.lib.types.MessageVersion v = m.version;
        MessageVersion version = v == null ? new MessageVersion(serial, timestamp, null, null, Map.of())
                : new MessageVersion(v.serial != null ? v.serial : serial, v.timestamp != 0 ? Instant.ofEpochMilli(v.timestamp) : timestamp,
                        v.clientId, v.description, v.metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(v.metadata)));
        return new Message(serial, m.clientId == null ? "" : m.clientId, string(data, "text", ""), timestamp,
                JsonData.objectOrEmpty(data, "metadata"), JsonData.objectOrEmpty(extras, "headers"),
                string(extras, "userClaim", null), action, version, MessageReactionSummary.empty());
    }

    /** The extras of a realtime message as a JSON object (empty if none). */
    static JsonObject extras(MessageExtras extras) {
        JsonObject o = extras == null ? null : extras.asJsonObject();
        return o == null ? new JsonObject() : o;
    }

    /** A summary from a JSON object keyed by the three kinds' names (REST uses short names, realtime annotation types). */
    static MessageReactionSummary summary(JsonObject o, String unique, String distinct, String multiple) {
        if (o == null) {
            return MessageReactionSummary.empty();
        }
        return new MessageReactionSummary(clientLists(o, unique), clientLists(o, distinct), clientCounts(o, multiple));
    }

    /** The summary of a realtime {@code message.summary} message. */
    static MessageReactionSummary summary(io.ably.lib.types.Message m) {
        if (m.annotations == null || m.annotations.summary == null) {
            return MessageReactionSummary.empty();
        }
        JsonObject o = new JsonObject();
        for (MessageReactionType t : MessageReactionType.values()) {
            JsonObject one = m.annotations.summary.get(t.annotationType());
            if (one != null) {
                o.add(t.annotationType(), one);
            }
        }
        return summary(o, MessageReactionType.UNIQUE.annotationType(), MessageReactionType.DISTINCT.annotationType(),
                MessageReactionType.MULTIPLE.annotationType());
    }

    private static Map<String, SummaryClientIdList> clientLists(JsonObject parent, String member) {
        Map<String, SummaryClientIdList> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonObject> e : objects(parent, member).entrySet()) {
            JsonObject v = e.getValue();
            List<String> ids = new ArrayList<>();
            if (v.has("clientIds") && v.get("clientIds").isJsonArray()) {
                v.getAsJsonArray("clientIds").forEach(id -> ids.add(id.getAsString()));
            }
            out.put(e.getKey(), new SummaryClientIdList((int) number(v, "total"), List.copyOf(ids), bool(v, "clipped")));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, SummaryClientIdCounts> clientCounts(JsonObject parent, String member) {
        Map<String, SummaryClientIdCounts> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonObject> e : objects(parent, member).entrySet()) {
            JsonObject v = e.getValue();
            Map<String, Integer> ids = new LinkedHashMap<>();
            if (v.has("clientIds") && v.get("clientIds").isJsonObject()) {
                v.getAsJsonObject("clientIds").entrySet().forEach(c -> ids.put(c.getKey(), c.getValue().getAsInt()));
            }
            out.put(e.getKey(), new SummaryClientIdCounts((int) number(v, "total"), Collections.unmodifiableMap(ids),
                    (int) number(v, "totalUnidentified"), bool(v, "clipped"), (int) number(v, "totalClientIds")));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, JsonObject> objects(JsonObject parent, String member) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        JsonElement e = parent.get(member);
        if (e != null && e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                if (entry.getValue().isJsonObject()) {
                    out.put(entry.getKey(), entry.getValue().getAsJsonObject());
                }
            }
        }
        return out;
    }

    static String string(JsonObject o, String member, String absent) {
        JsonElement e = o.get(member);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : absent;
    }

    private static long number(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : 0;
    }

    private static boolean bool(JsonObject o, String member) {
        JsonElement e = o.get(member);
        return e != null && e.isJsonPrimitive() && e.getAsBoolean();
    }

    private static Map<String, String> stringMap(JsonObject o, String member) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonElement e = o.get(member);
        if (e != null && e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(entry -> out.put(entry.getKey(),
                    entry.getValue().isJsonPrimitive() ? entry.getValue().getAsString() : entry.getValue().toString()));
        }
        return Collections.unmodifiableMap(out);
    }
}
