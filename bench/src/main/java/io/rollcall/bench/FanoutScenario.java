package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1: N subscribers on one channel, one publisher. (a) Sustained deliveries per second with at most
 * {@code window} messages published but not yet delivered to every subscriber. (b) Publish-to-delivery
 * latency at a fixed rate of deliveries per second. Every subscriber checks it got every message once, in order.
 */
final class FanoutScenario {
    record Options(int subscribers, double seconds, int window, int latencyRate, WireFormat format) {}

    private final Options o;

    FanoutScenario(Options o) {
        this.o = o;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("fanout").param("subscribers", o.subscribers).param("seconds", o.seconds)
                .param("window", o.window).param("latencyDeliveriesPerSecond", o.latencyRate).param("format", o.format.name().toLowerCase());
        for (Target.Kind kind : Target.Kind.values()) {
            try (Target t = kind == Target.Kind.ROLLCALL ? Target.rollcall(serverJar, List.of()) : Target.reference();
                 LoadClient client = new LoadClient(2)) {
                measure(kind, List.of(t.port()), client, r);
            }
        }
        return r;
    }

    /**
     * Measures into {@code r}'s {@code kind} column, with the subscribers spread evenly over the servers at
     * {@code ports} and the publisher on the first.
     */
    void measure(Target.Kind kind, List<Integer> ports, LoadClient client, Result r) throws Exception {
        int n = o.subscribers;
        String channel = "fanout";
        AtomicLongArray lastSeq = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            lastSeq.set(i, -1);
        }
        AtomicLong delivered = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        Histogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
        boolean[] recordLatency = {false};
        CountDownLatch attached = new CountDownLatch(n);
        Swarm.Handler onMessage = (i, pm) -> {
            if (pm.action == Action.ATTACHED) {
                attached.countDown();
            } else if (pm.action == Action.MESSAGE && pm.messages != null) {
                for (Message m : pm.messages) {
                    String[] parts = ((String) m.data).split(":");
                    long seq = Long.parseLong(parts[0]);
                    if (lastSeq.getAndSet(i, seq) != seq - 1) {
                        violations.incrementAndGet();
                    }
                    delivered.incrementAndGet();
                    if (recordLatency[0]) {
                        latency.recordValue(Math.max(0, System.nanoTime() - Long.parseLong(parts[1])));
                    }
                }
            }
        };
        List<WireConnection> subs = new java.util.ArrayList<>(n);
        for (int k = 0; k < ports.size(); k++) {
            int base = n * k / ports.size();
            int count = n * (k + 1) / ports.size() - base;
            subs.addAll(Swarm.connect(client, ports.get(k), count, o.format, i -> Swarm.query("sub" + (base + i)),
                    (i, pm) -> onMessage.onMessage(base + i, pm)));
        }
        for (WireConnection c : subs) {
            c.send(Swarm.attach(channel, Flags.SUBSCRIBE, null));
        }
        Swarm.await(attached, "subscribers attached");
        WireConnection pub = Swarm.connect(client, ports.get(0), 1, o.format, i -> Swarm.query("pub"), (i, pm) -> { }).get(0);

        // (a) throughput with a bounded in-flight window.
        long seq = 0;
        long start = System.nanoTime();
        long end = start + (long) (o.seconds * 1e9);
        while (System.nanoTime() < end) {
            if (seq - delivered.get() / n >= o.window) {
                Thread.onSpinWait();
                continue;
            }
            publish(pub, channel, seq++);
        }
        long published = seq;
        drain(delivered, published * n);
        double elapsed = (System.nanoTime() - start) / 1e9;
        r.put(kind, "deliveries_per_second", delivered.get() / elapsed, "1/s");
        r.put(kind, "lost_or_duplicated", (published * n - delivered.get()) + violations.get(), "msgs");

        // (b) latency at a fixed delivery rate.
        double msgsPerSecond = (double) o.latencyRate / n;
        long interval = (long) (1e9 / msgsPerSecond);
        long before = delivered.get();
        recordLatency[0] = true;
        long next = System.nanoTime();
        long stop = next + (long) (o.seconds * 1e9);
        long sent = 0;
        while (next < stop) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, 1_000_000));
                continue;
            }
            publish(pub, channel, seq++);
            sent++;
            next += interval;
        }
        drain(delivered, before + sent * n);
        r.put(kind, "latency_p50", latency.getValueAtPercentile(50) / 1e6, "ms");
        r.put(kind, "latency_p99", latency.getValueAtPercentile(99) / 1e6, "ms");
        r.put(kind, "latency_p99.9", latency.getValueAtPercentile(99.9) / 1e6, "ms");
        r.put(kind, "latency_lost", (before + sent * n) - delivered.get(), "msgs");
    }

    private static void publish(WireConnection pub, String channel, long seq) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
        Message m = new Message();
        m.name = "n";
        m.data = seq + ":" + System.nanoTime();
        pm.messages = List.of(m);
        pub.sendSequenced(pm);
    }

    private static void drain(AtomicLong delivered, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (delivered.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
