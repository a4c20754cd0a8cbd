package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference is the bar only for the same work: each delivery it writes must carry what Rollcall's carries,
 * at the same length (a reference that sent shorter messages was measured faster for less work: 225 bytes a
 * delivery against Rollcall's 306 in JSON, until its ids, clientId and channelSerial were made alike).
 */
class ReferenceWorkloadTest {
    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void aDeliveryIsAsLargeAsRollcalls(WireFormat format) throws Exception {
        ProtocolMessage fromRollcall;
        ProtocolMessage fromReference;
        try (Target t = Target.rollcall(ScenarioSmokeTest.SERVER_JAR, List.of())) {
            fromRollcall = deliveryFrom(t, format);
        }
        try (Target t = Target.reference()) {
            fromReference = deliveryFrom(t, format);
        }
        // The serial's history position differs by when history stored the previous message; its form must not.
        assertThat(fromRollcall.channelSerial).matches("[0-9a-z]+:\\d+-\\d+");
        assertThat(fromReference.channelSerial).matches("[0-9a-z]+:\\d{13}-\\d+");
        fromRollcall.channelSerial = null;
        fromReference.channelSerial = null;
        Message m = fromReference.messages.get(0);
        assertThat(m.clientId).isEqualTo("pub");
        assertThat(m.connectionId).hasSameSizeAs(fromRollcall.messages.get(0).connectionId);
        ProtocolCodec codec = ProtocolCodec.of(format);
        assertThat(codec.encode(fromReference)).hasSameSizeAs(codec.encode(fromRollcall));
    }

    /** The first message a subscriber receives when "pub" publishes one. */
    private static ProtocolMessage deliveryFrom(Target t, WireFormat format) throws Exception {
        try (LoadClient client = new LoadClient(1)) {
            CompletableFuture<Void> attached = new CompletableFuture<>();
            CompletableFuture<ProtocolMessage> delivered = new CompletableFuture<>();
            WireConnection sub = client.connect(t.port(), Swarm.query("sub0"), format, pm -> {
                if (pm.action == Action.ATTACHED) {
                    attached.complete(null);
                } else if (pm.action == Action.MESSAGE) {
                    delivered.complete(pm);
                }
            }).get(30, TimeUnit.SECONDS);
            sub.send(Swarm.attach("same", Flags.SUBSCRIBE, null));
            attached.get(30, TimeUnit.SECONDS);
            WireConnection pub = client.connect(t.port(), Swarm.query("pub"), format, pm -> { }).get(30, TimeUnit.SECONDS);
            ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "same");
            Message m = new Message();
            m.name = "n";
            m.data = "1:123456789";
            pm.messages = List.of(m);
            pub.sendSequenced(pm);
            return delivered.get(30, TimeUnit.SECONDS);
        }
    }
}
