package io.rollcall.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames and bodies built to hurt a decoder: each is refused with an Ably error, without allocating what it declares. */
class HostileFramesTest {
    static final ProtocolCodec MSGPACK = ProtocolCodec.of(WireFormat.MSGPACK);
    static final ProtocolCodec JSON = ProtocolCodec.of(WireFormat.JSON);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    /** Bytes this thread allocated while decoding, and the Ably code it was refused with. */
    static long allocationOfRefusal(ProtocolCodec codec, byte[] frame, int code) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).as(e.error().message()).isEqualTo(code));
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "81 a4 64 61 74 61 c6 7f ff ff f0",            // {data: bin32 of 2^31-16 bytes}, none following
            "81 a4 64 61 74 61 c9 7f ff ff f0 01",         // ext32
            "81 a4 64 61 74 61 db 7f ff ff f0",            // str32
            "81 a4 64 61 74 61 dd 7f ff ff f0",            // array32
            "81 a4 64 61 74 61 df 7f ff ff f0",            // map32
            "81 a4 64 61 74 61 c5 ff ff 00",               // bin16, short
            "de ff ff",                                    // map16 with nothing in it
            "81 a4 64 61 74 61",                           // a key without its value
            "81 a6 61 63 74 69 6f 6e 00 c0",               // trailing byte after the map
            "81 a6 61 63 74 69 6f 6e c1",                  // never-used type byte
    })
    void msgpackHeadersDeclaringMoreThanIsPresentAreRefusedWithoutAllocatingIt(String frame) {
        long allocated = allocationOfRefusal(MSGPACK, hex(frame), 40000);
        assertThat(allocated).as("bytes allocated decoding an %d-byte frame", hex(frame).length).isLessThan(1_000_000);
    }

    @Test
    void msgpackRestBodiesAndTreesAreBoundedTheSameWay() {
        byte[] bomb = hex("91 81 a4 64 61 74 61 c6 7f ff ff f0");
        assertThatThrownBy(() -> MSGPACK.decodeMessages(bomb)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).isEqualTo(40000));
        assertThatThrownBy(() -> MSGPACK.decodeTree(hex("81 a4 6b 65 79 4e db 7f ff ff f0")))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
    }

    @Test
    void deepNestingIsRefusedInBothFormats() {
        int depth = 100_000;
        byte[] mp = new byte[depth + 20];
        byte[] head = hex("82 a6 61 63 74 69 6f 6e 0f a6 70 61 72 61 6d 73"); // {action:15, params:
        System.arraycopy(head, 0, mp, 0, head.length);
        for (int i = head.length; i < mp.length; i++) {
            mp[i] = (byte) 0x91; // [[[[...
        }
        allocationOfRefusal(MSGPACK, mp, 40000);
        String json = "{\"action\":15,\"messages\":[{\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}]}";
        allocationOfRefusal(JSON, json.getBytes(StandardCharsets.UTF_8), 40000);
    }

    @Test
    void trailingGarbageAfterTheValueIsRefused() {
        assertThatThrownBy(() -> JSON.decodeMessages("{\"name\":\"a\",\"data\":\"x\"} garbage".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
        assertThatThrownBy(() -> JSON.decode("{\"action\":0}{\"action\":0}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
        assertThatThrownBy(() -> JSON.decodeTree("{\"keyName\":\"a\"}]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
    }

    @Test
    void extensionTypedDataIsRefusedWith40013ButJavaScriptUndefinedIsAbsent() {
        // [{data: fixext4 type 5}]
        assertThatThrownBy(() -> MSGPACK.decodeMessages(hex("91 81 a4 64 61 74 61 d6 05 01 02 03 04")))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40013));
        // [{name: "n", data: undefined}]
        Message m = MSGPACK.decodeMessages(hex("91 82 a4 6e 61 6d 65 a1 6e a4 64 61 74 61 d4 00 00")).get(0);
        assertThat(m.name).isEqualTo("n");
        assertThat(m.data).isNull();
    }

    @Test
    void wellFormedFramesStillDecode() {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "c");
        Message m = new Message();
        m.data = new byte[100_000];
        pm.messages = java.util.List.of(m);
        assertThat((byte[]) MSGPACK.decode(MSGPACK.encode(pm)).messages.get(0).data).hasSize(100_000);
        assertThat(JSON.decode(JSON.encode(pm)).messages.get(0).data).isInstanceOf(byte[].class);
    }

    @Test
    void encodingsAreChecked() {
        Message ok = new Message();
        ok.data = "{\"a\":1}";
        ok.encoding = "json";
        MessageEncoding.validate(ok);
        ok.encoding = "json/utf-8/cipher+aes-128-cbc";
        ok.data = new byte[] {1, 2};
        MessageEncoding.validate(ok);
        Message badJson = new Message();
        badJson.data = "{not json";
        badJson.encoding = "json";
        assertThatThrownBy(() -> MessageEncoding.validate(badJson)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).isEqualTo(40013));
        Message unknown = new Message();
        unknown.data = "x";
        unknown.encoding = "rot13";
        assertThatThrownBy(() -> MessageEncoding.validate(unknown)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).isEqualTo(40013));
    }
}
