package io.rollcall.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelemetryTest {
    @Test
    void perAppSeriesAreBoundedAppsPastTheCapShareOne() {
        try (Telemetry t = Telemetry.prometheus()) {
            for (int i = 0; i < Telemetry.MAX_APPS_WITH_SERIES; i++) {
                assertThat(t.app("app" + i).appId()).isEqualTo("app" + i);
            }
            AppMeters late = t.app("late");
            assertThat(late.appId()).isEqualTo(Telemetry.OTHER_APPS);
            assertThat(t.app("later")).isSameAs(late);
            assertThat(t.app("app7").appId()).isEqualTo("app7");
            late.bindChannels(() -> 1, () -> 2);
            late.messagesIn(3);
            String scrape = t.scrape();
            assertThat(scrape).contains("rollcall_messages_in_total{app=\"_other\"} 3.0")
                    .doesNotContain("rollcall_app_channels{app=\"_other\"}").doesNotContain("app=\"late\"");
        }
    }
}
