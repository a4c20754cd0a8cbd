package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 5: V viewers attach to one room in a burst, every one asking for occupancy events: how many events
 * each receives (coalescing keeps it small), how long the burst takes, and REST occupancy latency meanwhile.
 * The reference has no occupancy; it gives the burst time of bare attaches.
 */
final class OccupancyScenario {
    private final int viewers;
    private final WireFormat format;

    OccupancyScenario(int viewers, WireFormat format) {
        this.viewers = viewers;
        this.format = format;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("occupancy").param("viewers", viewers).param("format", format.name().toLowerCase());
        for (Target.Kind kind : Target.Kind.values()) {
            try (Target t = kind == Target.Kind.ROLLCALL ? Target.rollcall(serverJar, List.of()) : Target.reference();
                 LoadClient client = new LoadClient(2)) {
                AtomicIntegerArray events = new AtomicIntegerArray(viewers);
                CountDownLatch attached = new CountDownLatch(viewers);
                Histogram rest = new ConcurrentHistogram(3_600_000_000_000L, 3);
                AtomicLong restErrors = new AtomicLong();
                Thread poller = kind == Target.Kind.ROLLCALL ? restPoller(t.port(), rest, restErrors) : null;
                long start = System.nanoTime();
                List<WireConnection> all = Swarm.connect(client, t.port(), viewers, format, i -> Swarm.query("v" + i), (i, pm) -> {
                    if (pm.action == Action.ATTACHED) {
                        attached.countDown();
                    } else if (pm.action == Action.MESSAGE) {
                        events.incrementAndGet(i);
                    }
                });
                for (WireConnection c : all) {
                    c.send(Swarm.attach("stadium::$chat", Flags.SUBSCRIBE, Map.of("occupancy", "metrics")));
                }
                Swarm.await(attached, "viewers attached");
                double burstMs = (System.nanoTime() - start) / 1e6;
                r.put(kind, "burst_ms", burstMs, "ms");
                if (poller != null) {
                    // Let the coalesced events of the burst settle, then count.
                    Thread.sleep(3000);
                    poller.interrupt();
                    poller.join();
                    long total = 0;
                    int max = 0;
                    for (int i = 0; i < viewers; i++) {
                        total += events.get(i);
                        max = Math.max(max, events.get(i));
                    }
                    r.put(kind, "events_per_viewer_mean", (double) total / viewers, "events");
                    r.put(kind, "events_per_viewer_max", max, "events");
                    r.put(kind, "rest_occupancy_p50", rest.getValueAtPercentile(50) / 1e6, "ms");
                    r.put(kind, "rest_occupancy_p99", rest.getValueAtPercentile(99) / 1e6, "ms");
                    r.put(kind, "rest_errors", restErrors.get(), "requests");
                }
                all.forEach(WireConnection::close);
            }
        }
        return r;
    }

    private static Thread restPoller(int port, Histogram latency, AtomicLong errors) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(Target.KEY.getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat/v4/rooms/stadium/occupancy"))
                .header("Authorization", auth).timeout(Duration.ofSeconds(10)).build();
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long s = System.nanoTime();
                try {
                    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (res.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    latency.recordValue(System.nanoTime() - s);
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }
        }, "rest-poller");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
