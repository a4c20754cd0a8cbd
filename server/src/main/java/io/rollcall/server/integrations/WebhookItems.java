package io.rollcall.server.integrations;

import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Outbox;
import io.rollcall.server.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code name} and {@code data} of a webhook item, as Ably shapes them, from what the outbox kept. */
final class WebhookItems {
    private WebhookItems() {}

    static String name(Outbox.Item i) {
        return switch (i.source()) {
            case PRESENCE -> "presence.message";
            case OCCUPANCY -> "channel.occupancy";
            case LIFECYCLE -> i.active() ? "channel.opened" : "channel.closed";
        };
    }

    static Object data(Outbox.Item i) {
        if (i.source() == Outbox.Source.PRESENCE) {
            return presence(i.channel().channel(), i.presence());
        }
        return details(i.channel().channel(), i.active(),
                i.occupancy() == null ? OccupancyMetrics.Snapshot.EMPTY : i.occupancy());
    }

    private static Map<String, Object> presence(String channel, List<PresenceMessage> events) {
        List<Map<String, Object>> presence = new ArrayList<>(events.size());
        for (PresenceMessage p : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id);
            m.put("action", p.action);
            m.put("clientId", p.clientId);
            m.put("connectionId", p.connectionId);
            m.put("timestamp", p.timestamp);
            if (p.data instanceof byte[] b) {
                m.put("data", Base64.getEncoder().encodeToString(b));
                m.put("encoding", p.encoding == null ? "base64" : p.encoding + "/base64");
            } else if (p.data != null) {
                m.put("data", p.data);
                if (p.encoding != null) {
                    m.put("encoding", p.encoding);
                }
            }
            presence.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channelId", channel);
        data.put("presence", presence);
        return data;
    }

    /** Ably's ChannelDetails shape, with {@code name}: {channelId, name, status:{isActive, occupancy:{metrics}}}. */
    private static Map<String, Object> details(String channel, boolean active, OccupancyMetrics.Snapshot occupancy) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("isActive", active);
        status.put("occupancy", Map.of("metrics", occupancy.toMap()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channelId", channel);
        out.put("name", channel);
        out.put("status", status);
        return out;
    }
}
