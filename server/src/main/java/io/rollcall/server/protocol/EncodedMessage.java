package io.rollcall.server.protocol;

/**
 * A ProtocolMessage bound for many recipients. It is encoded at most once per wire format, on first demand,
 * and every recipient of that format shares the same bytes (never mutate them).
 */
public final class EncodedMessage {
    private final ProtocolMessage message;
    private volatile byte[] json;
    private volatile byte[] msgpack;

    public EncodedMessage(ProtocolMessage message) {
        this.message = message;
    }

    public ProtocolMessage message() {
        return message;
    }

    /** The bytes in that format if they are encoded already, else null (never encodes). */
    public byte[] encoded(WireFormat format) {
        return format == WireFormat.JSON ? json : msgpack;
    }

    public byte[] bytes(WireFormat format) {
        if (format == WireFormat.JSON) {
            byte[] b = json;
            if (b == null) {
                synchronized (this) {
                    b = json;
                    if (b == null) {
                        json = b = ProtocolCodec.of(WireFormat.JSON).encode(message);
                    }
                }
            }
            return b;
        }
        byte[] b = msgpack;
        if (b == null) {
            synchronized (this) {
                b = msgpack;
                if (b == null) {
                    msgpack = b = ProtocolCodec.of(WireFormat.MSGPACK).encode(message);
                }
            }
        }
        return b;
    }
}
