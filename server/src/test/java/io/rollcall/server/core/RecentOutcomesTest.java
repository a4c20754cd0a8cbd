package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RecentOutcomesTest {
    @Test
    void remembersTheLatestOutcomesUpToItsBoundGrowingAsNeeded() {
        RecentOutcomes r = new RecentOutcomes(100);
        assertThat(r.of(0)).isNull();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int s = 0; s < 250; s++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            all.add(f);
            r.record(s, f);
            // Everything within the bound is found, exactly; anything older is forgotten.
            for (int back = 0; back <= Math.min(s, 120); back++) {
                CompletableFuture<?> got = r.of(s - back);
                if (back < 100) {
                    assertThat(got).isSameAs(all.get(s - back));
                } else {
                    assertThat(got).isNull();
                }
            }
            assertThat(r.of(s + 1)).isNull();
        }
    }
}
