package io.rollcall.server.integrations;

import io.ably.lib.realtime.AblyRealtime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The presence changes a test made (or caused), per channel, as {@link ReceiverModel#presenceEvents} shows them. */
final class ExpectedPresence {
    static final int ENTER = 2;
    static final int LEAVE = 3;
    static final int UPDATE = 4;
    private final Map<String, TreeSet<String>> expected = new ConcurrentHashMap<>();

    void add(String channel, int action, AblyRealtime client) {
        expected.computeIfAbsent(channel, r -> new TreeSet<>()).add(action + ":" + client.options.clientId + "@" + client.connection.id);
    }

    /** Those the receiver has not accepted yet. */
    List<String> missing(Receiver rx) {
        ReceiverModel model = ReceiverModel.of(rx);
        List<String> out = new ArrayList<>();
        expected.forEach((channel, events) -> {
            TreeSet<String> seen = model.presenceEvents(channel);
            for (String e : events) {
                if (!seen.contains(e)) {
                    out.add(channel + " " + e);
                }
            }
        });
        return out;
    }
}
