package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many attaches in a burst cost each occupancy subscriber a bounded number of events, not one per attach. */
class OccupancyBurstTest {
    @Test
    void aBurstOfAttachesIsCoalesced() throws Exception {
        long intervalMs = 500;
        try (TestServer server = TestServer.start(l -> l.occupancyInterval(java.time.Duration.ofMillis(intervalMs)))) {
            RawSocket watcher = RawSocket.open(server.port(), "key=" + TestServer.KEY, false);
            watcher.next(4);
            watcher.send("{\"action\":10,\"channel\":\"burst\",\"params\":{\"occupancy\":\"metrics\"}}");
            watcher.next(11);
            watcher.next(15);
            int n = 200;
            long start = System.nanoTime();
            List<RawSocket> viewers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RawSocket v = RawSocket.open(server.port(), "key=" + TestServer.KEY, true);
                v.send("{\"action\":10,\"channel\":\"burst\",\"flags\":262144}");
                viewers.add(v);
            }
            for (RawSocket v : viewers) {
                v.next(11);
            }
            int events = 0;
            int connections = 0;
            while (connections != n + 1) {
                JsonNode m = watcher.next(15);
                events++;
                JsonNode data = RawSocket.JSON.readTree(m.path("messages").get(0).path("data").asText());
                connections = data.path("metrics").path("connections").asInt();
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            // Immediate events only for zero/non-zero flips (subscribers 1 -> 2 is none); the rest at most one
            // per interval. Allow one extra for the window edges.
            long bound = elapsedMs / intervalMs + 2;
            assertThat(events).as("events for %d attaches over %d ms", n, elapsedMs).isLessThanOrEqualTo((int) bound);
            assertThat(events).isLessThan(n / 4);
            for (RawSocket v : viewers) {
                v.close();
            }
            watcher.close();
            Await.until(() -> server.rollcall().node().connections().size() <= 1, "sockets closed");
        }
    }
}
