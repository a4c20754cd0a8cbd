package io.rollcall.server.protocol;

import java.util.List;
import java.util.Map;

/**
 * The realtime envelope (Ably TR4). Absent values are null (or 0 for flags/timestamp, which java sends as 0
 * when unset), and codecs omit them on the way out.
 */
public final class ProtocolMessage {
    public int action;
    public String id;
    public String channel;
    public String channelSerial;
    public String connectionId;
    public ConnectionDetails connectionDetails;
    public Integer count;
    public ErrorInfo error;
    public int flags;
    public Long msgSerial;
    public long timestamp;
    public List<Message> messages;
    public List<PresenceMessage> presence;
    public List<Annotation> annotations;
    public Map<String, String> params;
    /** AUTH: {@code auth.accessToken}. */
    public String authAccessToken;

    public ProtocolMessage() {}

    public ProtocolMessage(int action) {
        this.action = action;
    }

    public static ProtocolMessage of(int action, String channel) {
        ProtocolMessage pm = new ProtocolMessage(action);
        pm.channel = channel;
        return pm;
    }

    public static ProtocolMessage error(int action, String channel, ErrorInfo error) {
        ProtocolMessage pm = of(action, channel);
        pm.error = error;
        return pm;
    }

    @Override
    public String toString() {
        return "PM{action=" + action + (channel != null ? ", channel=" + channel : "")
                + (msgSerial != null ? ", msgSerial=" + msgSerial : "")
                + (error != null ? ", error=" + error : "") + "}";
    }
}
