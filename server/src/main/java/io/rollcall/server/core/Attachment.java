package io.rollcall.server.core;

import io.rollcall.server.protocol.Flags;
import java.util.Map;

/** One connection attached to one channel: the modes it was granted and what occupancy events it asked for. */
public final class Attachment {
    final Connection connection;
    final Channel channel;
    int modes;
    /** Null when the attach asked for no occupancy events; else "metrics" or one category name. */
    String occupancyCategory;
    Map<String, String> params;
    /** The channel's history serial when this attachment was (re-)attached: older messages come from history. */
    HistorySerial historyCut;
    /** The channel's serial counter when this attachment was made: nothing before it was ever meant for it. */
    long attachSerial;
    /** The occupancy last sent to this attachment, so no subscriber gets the same reading twice. */
    OccupancyMetrics.Snapshot lastOccupancy;

    Attachment(Connection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
    }

    boolean has(int mode) {
        return Flags.has(modes, mode);
    }

    public int modes() {
        return modes;
    }

    public Channel channel() {
        return channel;
    }
}
