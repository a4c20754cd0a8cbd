package io.rollcall.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a receiver following the README's contract builds from the items it accepted: per channel, the
 * occupancy and lifecycle item with the highest serial, and the member list from presence items applied in
 * serial order (de-duplicated on {@code id}).
 */
final class ReceiverModel {
    private final Map<String, JsonNode> byId = new LinkedHashMap<>();

    ReceiverModel(List<JsonNode> items) {
        for (JsonNode i : items) {
            byId.putIfAbsent(i.path("id").asText(), i);
        }
    }

    static ReceiverModel of(Receiver rx) {
        return new ReceiverModel(rx.items());
    }

    /** Ids that were sent (attempted, accepted or not) with more than one content: must be none. */
    static List<String> idsWithDifferentContent(Receiver rx) {
        Map<String, String> seen = new HashMap<>();
        List<String> bad = new ArrayList<>();
        for (JsonNode i : Receiver.items(rx.attempts)) {
            String id = i.path("id").asText();
            String content = i.toString();
            String before = seen.putIfAbsent(id, content);
            if (before != null && !before.equals(content) && !bad.contains(id)) {
                bad.add(id + ": " + before + " then " + content);
            }
        }
        return bad;
    }

    private List<JsonNode> of(String source, String channel) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : byId.values()) {
            if (i.path("source").asText().equals(source) && i.path("data").path("channelId").asText().equals(channel)) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparingLong(i -> Long.parseLong(i.path("serial").asText())));
        return out;
    }

    /** The metrics of the occupancy item with the highest serial, or null. */
    JsonNode occupancy(String channel) {
        List<JsonNode> occ = of("channel.occupancy", channel);
        return occ.isEmpty() ? null : occ.get(occ.size() - 1).path("data").path("status").path("occupancy").path("metrics");
    }

    /** Whether the lifecycle item with the highest serial says active (null: none). */
    Boolean active(String channel) {
        List<JsonNode> life = of("channel.lifecycle", channel);
        return life.isEmpty() ? null : life.get(life.size() - 1).path("name").asText().equals("channel.opened");
    }

    /** Members as clientId@connectionId, from presence items applied in serial order. */
    TreeSet<String> members(String channel) {
        Map<String, Boolean> members = new LinkedHashMap<>();
        for (JsonNode item : of("channel.presence", channel)) {
            for (JsonNode p : item.path("data").path("presence")) {
                String key = p.path("clientId").asText() + "@" + p.path("connectionId").asText();
                int action = p.path("action").asInt();
                if (action == 3 || action == 0) {
                    members.remove(key);
                } else {
                    members.put(key, true);
                }
            }
        }
        return new TreeSet<>(members.keySet());
    }

    /** Every presence event received for the channel, as action:clientId@connectionId (2 enter, 3 leave, 4 update). */
    TreeSet<String> presenceEvents(String channel) {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode item : of("channel.presence", channel)) {
            for (JsonNode p : item.path("data").path("presence")) {
                out.add(p.path("action").asInt() + ":" + p.path("clientId").asText() + "@" + p.path("connectionId").asText());
            }
        }
        return out;
    }
}
