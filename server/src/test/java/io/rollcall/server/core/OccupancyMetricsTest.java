package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.protocol.Flags;
import org.junit.jupiter.api.Test;

class OccupancyMetricsTest {
    @Test
    void countsEachModeAndUncountsOnDetach() {
        OccupancyMetrics m = new OccupancyMetrics();
        m.addAttachment(Flags.MODE_DEFAULT, +1);
        m.addAttachment(Flags.SUBSCRIBE, +1);
        m.addAttachment(Flags.OBJECT_PUBLISH | Flags.OBJECT_SUBSCRIBE, +1);
        m.setPresenceMembers(3);
        OccupancyMetrics.Snapshot s = m.snapshot();
        assertThat(s).isEqualTo(new OccupancyMetrics.Snapshot(3, 1, 2, 1, 3, 1, 1, 1));
        m.addAttachment(Flags.SUBSCRIBE, -1);
        assertThat(m.snapshot().subscribers()).isEqualTo(1);
        assertThat(m.snapshot().connections()).isEqualTo(2);
    }

    @Test
    void zeroFlipsAreDetected() {
        OccupancyMetrics.Snapshot a = new OccupancyMetrics.Snapshot(1, 0, 1, 0, 0, 0, 0, 0);
        assertThat(a.flipsZero(new OccupancyMetrics.Snapshot(2, 0, 2, 0, 0, 0, 0, 0))).isFalse();
        assertThat(a.flipsZero(new OccupancyMetrics.Snapshot(1, 1, 1, 0, 0, 0, 0, 0))).isTrue();
        assertThat(a.flipsZero(OccupancyMetrics.Snapshot.EMPTY)).isTrue();
        assertThat(a.toMap()).containsOnlyKeys(OccupancyMetrics.CATEGORIES);
    }
}
