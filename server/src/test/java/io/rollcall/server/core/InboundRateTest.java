package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundRateTest {
    @Test
    void allowsABurstOfOneSecondThenTheSustainedRate() {
        InboundRate rate = new InboundRate(100, 0);
        int allowed = 0;
        for (int i = 0; i < 150; i++) {
            if (rate.tryAcquire(0)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(100);
        assertThat(rate.tryAcquire(5)).isFalse();
        assertThat(rate.tryAcquire(10)).isTrue();
        assertThat(rate.tryAcquire(10)).isFalse();
    }
}
