package io.rollcall.server.core;

import io.rollcall.server.protocol.Flags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The eight occupancy metrics of one channel, kept current in O(1) per attach, detach, mode change and
 * presence change. Not thread-safe: the owning {@link Channel} guards it.
 */
public final class OccupancyMetrics {
    public static final String[] CATEGORIES = {
        "connections", "publishers", "subscribers", "presenceConnections",
        "presenceMembers", "presenceSubscribers", "objectPublishers", "objectSubscribers"
    };

    private int connections;
    private int publishers;
    private int subscribers;
    private int presenceConnections;
    private int presenceMembers;
    private int presenceSubscribers;
    private int objectPublishers;
    private int objectSubscribers;

    /** Counts (delta = +1) or uncounts (delta = -1) one attached connection holding {@code modes}. */
    void addAttachment(int modes, int delta) {
        connections += delta;
        if (Flags.has(modes, Flags.PUBLISH)) publishers += delta;
        if (Flags.has(modes, Flags.SUBSCRIBE)) subscribers += delta;
        if (Flags.has(modes, Flags.PRESENCE)) presenceConnections += delta;
        if (Flags.has(modes, Flags.PRESENCE_SUBSCRIBE)) presenceSubscribers += delta;
        if (Flags.has(modes, Flags.OBJECT_PUBLISH)) objectPublishers += delta;
        if (Flags.has(modes, Flags.OBJECT_SUBSCRIBE)) objectSubscribers += delta;
    }

    void setPresenceMembers(int members) {
        presenceMembers = members;
    }

    public Snapshot snapshot() {
        return new Snapshot(connections, publishers, subscribers, presenceConnections, presenceMembers,
                presenceSubscribers, objectPublishers, objectSubscribers);
    }

    /** An immutable reading of the metrics, as REST and events report them. */
    public record Snapshot(int connections, int publishers, int subscribers, int presenceConnections,
                           int presenceMembers, int presenceSubscribers, int objectPublishers,
                           int objectSubscribers) {
        public static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0);

        public int get(String category) {
            return switch (category) {
                case "connections" -> connections;
                case "publishers" -> publishers;
                case "subscribers" -> subscribers;
                case "presenceConnections" -> presenceConnections;
                case "presenceMembers" -> presenceMembers;
                case "presenceSubscribers" -> presenceSubscribers;
                case "objectPublishers" -> objectPublishers;
                case "objectSubscribers" -> objectSubscribers;
                default -> throw new IllegalArgumentException("unknown occupancy category " + category);
            };
        }

        public static boolean isCategory(String category) {
            for (String c : CATEGORIES) {
                if (c.equals(category)) {
                    return true;
                }
            }
            return false;
        }

        /** All eight metrics in Ably's order. */
        public Map<String, Integer> toMap() {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (String c : CATEGORIES) {
                m.put(c, get(c));
            }
            return m;
        }

        public Snapshot plus(Snapshot o) {
            return new Snapshot(connections + o.connections, publishers + o.publishers,
                    subscribers + o.subscribers, presenceConnections + o.presenceConnections,
                    presenceMembers + o.presenceMembers, presenceSubscribers + o.presenceSubscribers,
                    objectPublishers + o.objectPublishers, objectSubscribers + o.objectSubscribers);
        }

        /** True when some metric moved between zero and non-zero: such changes are not coalesced. */
        public boolean flipsZero(Snapshot o) {
            for (String c : CATEGORIES) {
                if ((get(c) == 0) != (o.get(c) == 0)) {
                    return true;
                }
            }
            return false;
        }

        public Snapshot withPresenceMembers(int members) {
            return new Snapshot(connections, publishers, subscribers, presenceConnections, members,
                    presenceSubscribers, objectPublishers, objectSubscribers);
        }

        public boolean isIdle() {
            return connections == 0 && presenceMembers == 0;
        }
    }
}
