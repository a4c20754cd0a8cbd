package io.rollcall.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
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
                assertThat(q.offer(m, Integer.MAX_VALUE)).isNotEqualTo(OutboundQueue.FULL);
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
            assertThat(q.offer(message(), 3)).isNotEqualTo(OutboundQueue.FULL);
        }
        assertThat(q.offer(message(), 3)).isEqualTo(OutboundQueue.FULL);
        assertThat(q.size()).isEqualTo(3);
        q.offer(message());
        assertThat(q.size()).isEqualTo(4);
        q.poll();
        assertThat(q.offer(message(), 4)).isNotEqualTo(OutboundQueue.FULL);
    }

    @Test
    void onlyTheOfferThatFindsItIdleSchedulesADrainAndOnlyAnEmptyingTakeEndsIt() {
        OutboundQueue q = new OutboundQueue();
        assertThat(q.offer(encoded(), 10)).isEqualTo(OutboundQueue.SCHEDULE);
        assertThat(q.offer(encoded(), 10)).isEqualTo(OutboundQueue.QUEUED);
        assertThat(q.offer(encoded())).isEqualTo(OutboundQueue.QUEUED);
        assertThat(q.requestDrain()).isFalse(); // a drain is due already
        // A take that leaves messages behind keeps the drain due: the offers still join nothing.
        assertThat(q.take(1, WireFormat.MSGPACK)).hasSize(1);
        assertThat(q.offer(encoded(), 10)).isEqualTo(OutboundQueue.QUEUED);
        assertThat(q.take(Integer.MAX_VALUE, WireFormat.MSGPACK)).hasSize(3);
        assertThat(q.offer(encoded(), 10)).isEqualTo(OutboundQueue.SCHEDULE);
        // A stalled drain hands the scheduling to the next request (the socket writable again).
        q.unschedule();
        assertThat(q.requestDrain()).isTrue();
        assertThat(q.requestDrain()).isFalse();
        assertThat(q.take(Integer.MAX_VALUE, WireFormat.MSGPACK)).hasSize(1);
        assertThat(q.take(Integer.MAX_VALUE, WireFormat.MSGPACK)).isNull();
        q.unschedule();
        assertThat(q.requestDrain()).isFalse(); // nothing to drain
    }

    @Test
    void aTakeStopsAtItsBytesAndTakesAtMostSixteenMessagesOfUnknownSize() {
        OutboundQueue q = new OutboundQueue();
        List<EncodedMessage> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(encoded());
        }
        int frame = WebSocketFrames.size(all.get(0).encoded(WireFormat.MSGPACK).length);
        for (int i = 0; i < 20; i++) {
            all.add(message()); // not encoded yet
        }
        all.forEach(q::offer);
        List<EncodedMessage> got = new ArrayList<>();
        EncodedMessage[] first = q.take(3 * frame - 1, WireFormat.MSGPACK);
        assertThat(first).hasSize(3); // the take stops once it reaches the bound
        got.addAll(List.of(first));
        EncodedMessage[] second = q.take(Integer.MAX_VALUE, WireFormat.MSGPACK);
        assertThat(second).hasSize(7 + 16);
        got.addAll(List.of(second));
        EncodedMessage[] third = q.take(Integer.MAX_VALUE, WireFormat.MSGPACK);
        assertThat(third).hasSize(4);
        got.addAll(List.of(third));
        assertThat(got).containsExactlyElementsOf(all);
        assertThat(q.take(Integer.MAX_VALUE, WireFormat.MSGPACK)).isNull();
    }

    /** A message already encoded for msgpack. */
    private static EncodedMessage encoded() {
        EncodedMessage m = message();
        m.bytes(WireFormat.MSGPACK);
        return m;
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

    @Test
    void aRingGrownForABurstIsReplacedBySmallOneOnceTheQueueEmpties() {
        OutboundQueue q = new OutboundQueue();
        for (int i = 0; i < 50; i++) {
            q.offer(message());
        }
        assertThat(q.capacity()).isEqualTo(64);
        assertThat(q.take(Integer.MAX_VALUE, WireFormat.JSON)).hasSize(16); // at most 16 not yet encoded per take
        assertThat(q.capacity()).as("not while messages are left").isEqualTo(64);
        while (q.take(Integer.MAX_VALUE, WireFormat.JSON) != null) {
            // the rest of the burst
        }
        assertThat(q.capacity()).isEqualTo(4);
        EncodedMessage m = message();
        q.offer(m);
        assertThat(q.poll()).isSameAs(m);
    }
}
