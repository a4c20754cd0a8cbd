package io.rollcall.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
    private static EncodedMessage message() {
        return new EncodedMessage(new ProtocolMessage(Action.MESSAGE));
    }

    @Test
    void keepsOrderAcrossWrapAroundAndGrowth() {
        OutboundQueue q = new OutboundQueue();
        List<EncodedMessage> expected = new ArrayList<>();
        List<EncodedMessage> got = new ArrayList<>();
        // Interleaved offers and polls move the head around the ring before and while it grows.
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < round % 7 + 1; i++) {
                EncodedMessage m = message();
                expected.add(m);
                assertThat(q.offer(m, Integer.MAX_VALUE)).isTrue();
            }
            for (int i = 0; i < round % 5; i++) {
                EncodedMessage m = q.poll();
                if (m != null) {
                    got.add(m);
                }
            }
        }
        for (EncodedMessage m; (m = q.poll()) != null; ) {
            got.add(m);
        }
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void refusesPastItsBoundButTheCloseMarkerStillGoesIn() {
        OutboundQueue q = new OutboundQueue();
        for (int i = 0; i < 3; i++) {
            assertThat(q.offer(message(), 3)).isTrue();
        }
        assertThat(q.offer(message(), 3)).isFalse();
        assertThat(q.size()).isEqualTo(3);
        q.offer(message());
        assertThat(q.size()).isEqualTo(4);
        q.poll();
        assertThat(q.offer(message(), 4)).isTrue();
    }

    @Test
    void anEmptiedQueueAfterABurstStillWorks() {
        OutboundQueue q = new OutboundQueue();
        for (int i = 0; i < 1000; i++) {
            q.offer(message());
        }
        q.clear();
        assertThat(q.poll()).isNull();
        EncodedMessage m = message();
        q.offer(m);
        assertThat(q.poll()).isSameAs(m);
        for (int i = 0; i < 1000; i++) {
            q.offer(message());
        }
        while (q.poll() != null) {
            // drains to empty, which shrinks it
        }
        q.offer(m);
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.poll()).isSameAs(m);
    }
}
