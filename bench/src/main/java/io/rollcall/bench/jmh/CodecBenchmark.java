package io.rollcall.bench.jmh;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The wire codec on the hot path: a chat MESSAGE and a 500-member SYNC page, encoded and decoded. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"JSON", "MSGPACK"})
    public WireFormat format;

    private ProtocolCodec codec;
    private ProtocolMessage message;
    private ProtocolMessage syncPage;
    private byte[] messageBytes;
    private byte[] syncBytes;

    @Setup
    public void setup() {
        codec = ProtocolCodec.of(format);
        message = ProtocolMessage.of(Action.MESSAGE, "room1::$chat");
        message.id = "AbCdEfGhIj:42";
        message.connectionId = "AbCdEfGhIj";
        message.timestamp = 1_700_000_000_000L;
        Message m = new Message();
        m.id = "AbCdEfGhIj:42:0";
        m.name = "chat.message";
        m.clientId = "alice";
        m.data = "{\"text\":\"hello everyone in the room\",\"metadata\":{}}";
        m.encoding = "json";
        message.messages = List.of(m);
        syncPage = ProtocolMessage.of(Action.SYNC, "room1::$chat");
        syncPage.channelSerial = "s1:500";
        List<PresenceMessage> members = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            PresenceMessage p = new PresenceMessage();
            p.id = "Conn" + i + ":0:0";
            p.action = PresenceMessage.PRESENT;
            p.clientId = "user-" + i;
            p.connectionId = "Conn" + i;
            p.data = "{\"status\":\"online\"}";
            p.encoding = "json";
            p.timestamp = 1_700_000_000_000L + i;
            members.add(p);
        }
        syncPage.presence = members;
        messageBytes = codec.encode(message);
        syncBytes = codec.encode(syncPage);
    }

    @Benchmark
    public byte[] encodeMessage() {
        return codec.encode(message);
    }

    @Benchmark
    public ProtocolMessage decodeMessage() {
        return codec.decode(messageBytes);
    }

    @Benchmark
    public byte[] encodeSyncPage500() {
        return codec.encode(syncPage);
    }

    @Benchmark
    public ProtocolMessage decodeSyncPage500() {
        return codec.decode(syncBytes);
    }
}
