package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperationTest {

    @Test
    void wireNamesAreAblys() {
        assertThat(Operation.values()).extracting(Operation::wireName).containsExactlyInAnyOrder(
                "publish", "subscribe", "presence", "history", "channel-metadata", "annotation-publish",
                "annotation-subscribe", "object-publish", "object-subscribe", "push-subscribe", "push-admin",
                "stats", "privileged-headers", "message-update-own", "message-update-any", "message-delete-own",
                "message-delete-any");
    }

    @Test
    void lookupByWireNameRoundTrips() {
        for (Operation o : Operation.values()) {
            assertThat(Operation.fromWire(o.wireName())).isSameAs(o);
            assertThat(o).hasToString(o.wireName());
        }
        assertThat(Operation.fromWire("statistics")).isNull();
        assertThat(Operation.fromWire("*")).isNull();
        assertThat(Operation.fromWire(null)).isNull();
    }

    @Test
    void everyOperationHasItsOwnMaskBit() {
        int all = 0;
        for (Operation o : Operation.values()) {
            assertThat(all & o.bit()).isZero();
            all |= o.bit();
        }
    }
}
