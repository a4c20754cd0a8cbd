package io.rollcall.server.transport;

import io.netty.buffer.ByteBuf;

/**
 * Server-to-client WebSocket frames (RFC 6455 5.2) written as bytes: FIN, the opcode (text for JSON, binary
 * for msgpack, as the SDKs expect), the length, the unmasked payload. Written this way they pass Netty's frame
 * encoder untouched, and a drain can put many into one buffer.
 */
final class WebSocketFrames {
    private WebSocketFrames() {
    }

    /** The frame's size for a payload of that many bytes. */
    static int size(int payload) {
        return payload + (payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10);
    }

    static void write(ByteBuf out, byte[] payload, boolean text) {
        int n = payload.length;
        out.writeByte(0x80 | (text ? 0x1 : 0x2));
        if (n < 126) {
            out.writeByte(n);
        } else if (n <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(n);
        } else {
            out.writeByte(127);
            out.writeLong(n);
        }
        out.writeBytes(payload);
    }
}
