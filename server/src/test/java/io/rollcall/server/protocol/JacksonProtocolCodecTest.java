package io.rollcall.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class JacksonProtocolCodecTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ProtocolMessage sample() {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "room1::$chat");
        pm.id = "conn:5";
        pm.connectionId = "conn";
        pm.msgSerial = 0L;
        pm.count = 2;
        pm.flags = Flags.PUBLISH | Flags.HAS_PRESENCE;
        pm.timestamp = 1_700_000_000_000L;
        pm.params = Map.of("occupancy", "metrics");
        pm.error = new ErrorInfo(40160, 401, "denied");
        Message text = new Message();
        text.name = "t";
        text.data = "héllo";
        Message bin = new Message();
        bin.data = new byte[] {0, 1, (byte) 0xff};
        bin.encoding = "utf-8/cipher+aes-128-cbc";
        bin.extras = JSON.createObjectNode().put("ephemeral", true);
        pm.messages = List.of(text, bin);
        return pm;
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void roundTripsEveryField(WireFormat f) {
        ProtocolCodec codec = ProtocolCodec.of(f);
        ProtocolMessage back = codec.decode(codec.encode(sample()));
        assertThat(back.action).isEqualTo(Action.MESSAGE);
        assertThat(back.channel).isEqualTo("room1::$chat");
        assertThat(back.msgSerial).isZero();
        assertThat(back.count).isEqualTo(2);
        assertThat(back.flags).isEqualTo(Flags.PUBLISH | Flags.HAS_PRESENCE);
        assertThat(back.timestamp).isEqualTo(1_700_000_000_000L);
        assertThat(back.params).containsEntry("occupancy", "metrics");
        assertThat(back.error).isEqualTo(new ErrorInfo(40160, 401, "denied"));
        assertThat(back.messages.get(0).data).isEqualTo("héllo");
        assertThat((byte[]) back.messages.get(1).data).containsExactly(0, 1, 0xff);
        // Encodings other than the transport's own base64 are preserved, in either format.
        assertThat(back.messages.get(1).encoding).isEqualTo("utf-8/cipher+aes-128-cbc");
        assertThat(back.messages.get(1).extras.path("ephemeral").asBoolean()).isTrue();
    }

    @Test
    void bytesAreBase64InJsonAndBinInMsgpack() throws Exception {
        byte[] json = ProtocolCodec.of(WireFormat.JSON).encode(sample());
        JsonNode tree = JSON.readTree(json);
        JsonNode bin = tree.path("messages").get(1);
        assertThat(bin.path("data").asText()).isEqualTo("AAH/");
        assertThat(bin.path("encoding").asText()).isEqualTo("utf-8/cipher+aes-128-cbc/base64");
        // Re-encoding a JSON-decoded message for msgpack gives bin data without the base64 step.
        ProtocolMessage fromJson = ProtocolCodec.of(WireFormat.JSON).decode(json);
        byte[] mp = ProtocolCodec.of(WireFormat.MSGPACK).encode(fromJson);
        JsonNode mpTree = new ObjectMapper(new org.msgpack.jackson.dataformat.MessagePackFactory()).readTree(mp);
        assertThat(mpTree.path("messages").get(1).path("data").isBinary()).isTrue();
        assertThat(mpTree.path("messages").get(1).path("encoding").asText()).isEqualTo("utf-8/cipher+aes-128-cbc");
    }

    @Test
    void structuredDataBecomesAJsonStringWithJsonEncoding() {
        ProtocolMessage pm = ProtocolCodec.of(WireFormat.JSON).decode(
                "{\"action\":15,\"messages\":[{\"data\":{\"a\":[1,2]}},{\"data\":7}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(pm.messages.get(0).data).isEqualTo("{\"a\":[1,2]}");
        assertThat(pm.messages.get(0).encoding).isEqualTo("json");
        assertThat(pm.messages.get(1).data).isEqualTo("7");
    }

    @Test
    void javasZeroFieldsAndUnknownFieldsAreTolerated() {
        ProtocolMessage pm = ProtocolCodec.of(WireFormat.JSON).decode(
                ("{\"action\":0,\"flags\":0,\"count\":0,\"timestamp\":0,\"msgSerial\":0,\"res\":[{\"serials\":[\"a\"]}],"
                        + "\"connectionKey\":null,\"state\":[{\"x\":{}}],\"newField\":{\"deep\":[[1]]}}").getBytes(StandardCharsets.UTF_8));
        assertThat(pm.action).isZero();
        assertThat(pm.count).isNull();
        assertThat(pm.msgSerial).isZero();
    }

    @Test
    void msgpackExtensionValuesCountAsAbsent() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(3);
        p.packString("action").packInt(10);
        p.packString("channel").packString("c");
        p.packString("id").packExtensionTypeHeader((byte) 0, 1).addPayload(new byte[] {0});
        ProtocolMessage pm = ProtocolCodec.of(WireFormat.MSGPACK).decode(p.toByteArray());
        assertThat(pm.action).isEqualTo(Action.ATTACH);
        assertThat(pm.channel).isEqualTo("c");
        assertThat(pm.id).isNull();
    }

    @Test
    void anEmptyPresenceArrayIsWritten() throws Exception {
        ProtocolMessage sync = ProtocolMessage.of(Action.SYNC, "c");
        sync.presence = new ArrayList<>();
        JsonNode tree = JSON.readTree(ProtocolCodec.of(WireFormat.JSON).encode(sync));
        assertThat(tree.path("presence").isArray()).isTrue();
        assertThat(tree.has("count")).isFalse();
        assertThat(tree.has("flags")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"x\"", "{\"action\":", "{\"action\":\"ten\"}", "{\"messages\":{}}",
        "{\"messages\":[{\"data\":\"!!\",\"encoding\":\"base64\"}]}", "{\"action\":1.5}"})
    void malformedJsonIs40000(String frame) {
        assertThatThrownBy(() -> ProtocolCodec.of(WireFormat.JSON).decode(frame.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
    }

    @Test
    void malformedMsgpackAndDeepNestingAre40000() {
        for (byte[] frame : List.of(new byte[] {(byte) 0xc1}, new byte[] {(byte) 0x81, (byte) 0xa6}, new byte[] {})) {
            assertThatThrownBy(() -> ProtocolCodec.of(WireFormat.MSGPACK).decode(frame))
                    .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
        }
        String deep = "{\"extras\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertThatThrownBy(() -> ProtocolCodec.of(WireFormat.JSON).decode(("{\"action\":15,\"messages\":[" + deep + "]}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
    }

    @Test
    void anEncodedMessageIsEncodedOncePerFormatAndShared() {
        EncodedMessage m = new EncodedMessage(sample());
        assertThat(m.bytes(WireFormat.JSON)).isSameAs(m.bytes(WireFormat.JSON));
        assertThat(m.bytes(WireFormat.MSGPACK)).isSameAs(m.bytes(WireFormat.MSGPACK));
        assertThat(m.bytes(WireFormat.JSON)).isNotEqualTo(m.bytes(WireFormat.MSGPACK));
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void roundTripsMessageVersionsAndAnnotations(WireFormat f) {
        ProtocolCodec codec = ProtocolCodec.of(f);
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "r::$chat");
        Message m = new Message();
        m.name = "chat.message";
        m.action = Message.UPDATE;
        m.serial = "01700000000000-000001";
        m.version = JSON.createObjectNode().put("serial", "01700000000001-000000").put("clientId", "ed");
        m.annotations = JSON.createObjectNode().set("summary", JSON.createObjectNode());
        pm.messages = List.of(m);
        Message back = codec.decode(codec.encode(pm)).messages.get(0);
        assertThat(back.action).isEqualTo(Message.UPDATE);
        assertThat(back.serial).isEqualTo("01700000000000-000001");
        assertThat(back.version.path("clientId").asText()).isEqualTo("ed");
        assertThat(back.annotations.has("summary")).isTrue();

        ProtocolMessage ann = ProtocolMessage.of(Action.ANNOTATION, "r::$chat");
        Annotation a = new Annotation();
        a.action = Annotation.DELETE;
        a.type = "reaction:multiple.v1";
        a.name = "👍";
        a.count = 3;
        a.messageSerial = "01700000000000-000001";
        a.serial = "01700000000002-000000";
        a.clientId = "c";
        ann.annotations = List.of(a);
        Annotation b = codec.decode(codec.encode(ann)).annotations.get(0);
        assertThat(b.action).isEqualTo(Annotation.DELETE);
        assertThat(b.type).isEqualTo("reaction:multiple.v1");
        assertThat(b.name).isEqualTo("👍");
        assertThat(b.count).isEqualTo(3);
        assertThat(b.messageSerial).isEqualTo("01700000000000-000001");
        assertThat(b.serial).isEqualTo("01700000000002-000000");
        assertThat(b.clientId).isEqualTo("c");
        assertThat(codec.decodeAnnotations(codec.encodeAnnotations(List.of(a))).get(0).name).isEqualTo("👍");
    }
}
