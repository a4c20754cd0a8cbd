package io.rollcall.server.core;

import io.rollcall.server.protocol.PresenceMessage;
import java.util.List;
import java.util.Map;

/**
 * What nodes hold of one channel, as an engine reports it: the members (each owned by the node whose id
 * starts its connectionId) and each node's share of the connection-based occupancy metrics.
 */
public record ChannelState(List<PresenceMessage> members, Map<String, OccupancyMetrics.Snapshot> occupancy) {
    public static final ChannelState EMPTY = new ChannelState(List.of(), Map.of());

    public ChannelState {
        members = List.copyOf(members);
        occupancy = Map.copyOf(occupancy);
    }

    /** The channel's metrics: every node's share summed, with presenceMembers counted from the members. */
    public OccupancyMetrics.Snapshot totalOccupancy() {
        OccupancyMetrics.Snapshot sum = OccupancyMetrics.Snapshot.EMPTY;
        for (OccupancyMetrics.Snapshot s : occupancy.values()) {
            sum = sum.plus(s.withPresenceMembers(0));
        }
        return sum.withPresenceMembers(members.size());
    }

    public boolean isActive() {
        return !members.isEmpty() || !totalOccupancy().isIdle();
    }
}
