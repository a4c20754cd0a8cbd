package io.rollcall.server.engine.redis;

import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * What nodes send each other on a channel's pub/sub channel: a kind, the sending node, the originating
 * connection, an optional occupancy share and a msgpack ProtocolMessage (the very bytes msgpack clients of
 * the sending node get, so a message is encoded once for both).
 */
record Envelope(Kind kind, String origin, String originConnectionId, OccupancyMetrics.Snapshot share, byte[] payload) {
    enum Kind {
        /** A MESSAGE publication. */
        MESSAGE('M'),
        /** PRESENCE events. */
        PRESENCE('P'),
        /** A node's full member list and share on the channel, after it re-registered. */
        REFRESH('R'),
        /** A node's occupancy share changed; no share: it has none. */
        OCCUPANCY('O');

        final byte tag;

        Kind(char tag) {
            this.tag = (byte) tag;
        }

        static Kind of(byte tag) {
            for (Kind k : values()) {
                if (k.tag == tag) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown envelope kind " + tag);
        }
    }

    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(WireFormat.MSGPACK);

    byte[] encode() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(32 + (payload == null ? 0 : payload.length));
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(kind.tag);
            out.writeUTF(origin);
            out.writeUTF(originConnectionId == null ? "" : originConnectionId);
            out.writeBoolean(share != null);
            if (share != null) {
                writeShare(out, share);
            }
            if (payload != null) {
                out.write(payload);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    static Envelope decode(byte[] bytes) {
        try {
            ByteArrayInputStream buf = new ByteArrayInputStream(bytes);
            DataInputStream in = new DataInputStream(buf);
            Kind kind = Kind.of(in.readByte());
            String origin = in.readUTF();
            String conn = in.readUTF();
            OccupancyMetrics.Snapshot share = in.readBoolean() ? readShare(in) : null;
            byte[] payload = Arrays.copyOfRange(bytes, bytes.length - buf.available(), bytes.length);
            return new Envelope(kind, origin, conn.isEmpty() ? null : conn, share, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ProtocolMessage message() {
        return MSGPACK.decode(payload);
    }

    /** A list of members, encoded as the presence of a PRESENCE ProtocolMessage. */
    static byte[] members(List<PresenceMessage> members) {
        ProtocolMessage pm = new ProtocolMessage(Action.PRESENCE);
        pm.presence = members;
        return MSGPACK.encode(pm);
    }

    static List<PresenceMessage> members(byte[] bytes) {
        List<PresenceMessage> list = MSGPACK.decode(bytes).presence;
        return list == null ? List.of() : list;
    }

    /** A share as stored in the occupancy hash: the seven connection-based metrics, comma-separated. */
    static String shareText(OccupancyMetrics.Snapshot s) {
        return s.connections() + "," + s.publishers() + "," + s.subscribers() + "," + s.presenceConnections() + ","
                + s.presenceSubscribers() + "," + s.objectPublishers() + "," + s.objectSubscribers();
    }

    static OccupancyMetrics.Snapshot parseShare(String text) {
        String[] f = text.split(",");
        int[] v = new int[7];
        for (int i = 0; i < 7; i++) {
            v[i] = Integer.parseInt(f[i]);
        }
        return new OccupancyMetrics.Snapshot(v[0], v[1], v[2], v[3], 0, v[4], v[5], v[6]);
    }

    private static void writeShare(DataOutputStream out, OccupancyMetrics.Snapshot s) throws IOException {
        out.writeUTF(shareText(s));
    }

    private static OccupancyMetrics.Snapshot readShare(DataInputStream in) throws IOException {
        return parseShare(in.readUTF());
    }
}
