package io.rollcall.server.core;

import io.rollcall.server.protocol.PresenceMessage;
import java.util.List;

/**
 * Listens to what happens on channels, for integrations such as webhooks. Called with the channel's monitor
 * held, in the channel's order of events: implementations must only record and return, never block.
 */
public interface ChannelObserver {
    /** The channel's occupancy metrics changed. */
    default void occupancyChanged(ChannelKey channel, OccupancyMetrics.Snapshot occupancy) {}

    /** Presence events were applied to the channel's presence set. */
    default void presenceChanged(ChannelKey channel, List<PresenceMessage> events) {}

    /** The channel became active (its first attachment or member) or idle (its last one went). */
    default void lifecycleChanged(ChannelKey channel, boolean active, OccupancyMetrics.Snapshot occupancy) {}
}
