package io.rollcall.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Encodes and decodes Ably wire values in one {@link WireFormat}. Implementations are thread-safe and shared.
 * Decoding failures throw {@link AblyException} with code 40000 (malformed) so callers can answer the client.
 */
public interface ProtocolCodec {
    WireFormat format();

    ProtocolMessage decode(byte[] frame);

    byte[] encode(ProtocolMessage message);

    /** REST publish body: a single message object or an array of them. */
    List<Message> decodeMessages(byte[] body);

    byte[] encodeMessages(List<Message> messages);

    byte[] encodePresence(List<PresenceMessage> messages);

    /** REST annotation publish body: one annotation or an array of them. */
    List<Annotation> decodeAnnotations(byte[] body);

    byte[] encodeAnnotations(List<Annotation> annotations);

    /** Any JSON-shaped value (maps, lists, records of plain values, JsonNode) for REST responses. */
    byte[] encodeValue(Object value);

    /** Any body as a tree, for REST requests such as token requests. */
    JsonNode decodeTree(byte[] body);

    /** The shared instance for a format. */
    static ProtocolCodec of(WireFormat format) {
        return format == WireFormat.JSON ? Shared.JSON : Shared.MSGPACK;
    }

    /** Holder for the shared instances (lazily initialised with the interface). */
    final class Shared {
        static final ProtocolCodec JSON = new JacksonProtocolCodec(WireFormat.JSON);
        static final ProtocolCodec MSGPACK = new JacksonProtocolCodec(WireFormat.MSGPACK);

        private Shared() {}
    }
}
