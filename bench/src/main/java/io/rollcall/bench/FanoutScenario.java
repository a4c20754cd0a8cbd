package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1: N subscribers on one channel, one publisher. (a) Sustained deliveries per second with at most
 * {@code window} messages published but not yet delivered to every subscriber. (b) Publish-to-delivery
 * latency at a fixed rate of deliveries per second. Every subscriber checks it got every message once, in order.
 */
final class FanoutScenario {
    record Options(int subscribers, double seconds, int window, int latencyRate, WireFormat format) {}

    /** The column of the earlier reference ({@link ReferenceServer.Mode#BROADCAST}), beside the two. */
    static final String BROADCAST_COLUMN = "broadcast reference";

    /** The default warm-up: as long as the measurement, at most 3 s. */
    private static final double WARMUP_SECONDS = 3;

    private final Options o;
    private final int rounds;
    private final boolean withBroadcast;
    /** Unmeasured load before each measurement; negative: the default. */
    private double warmupSeconds = -1;
    private boolean collectAfterWarmup;

    FanoutScenario(Options o) {
        this(o, 1, true);
    }

    /**
     * {@code rounds} runs of every target, alternating (the order reversed every other round), each figure the
     * median of its rounds (losses: the sum); {@code withBroadcast}: the earlier reference too, as a third column.
     */
    FanoutScenario(Options o, int rounds, boolean withBroadcast) {
        this.o = o;
        this.rounds = Math.max(1, rounds);
        this.withBroadcast = withBroadcast;
    }

    /**
     * A longer warm-up than the default, for the steady state: the larger server's JIT is still compiling a few
     * seconds in, the reference's much less.
     */
    FanoutScenario warmup(double seconds) {
        this.warmupSeconds = seconds;
        return this;
    }

    /**
     * A full GC in each server between its warm-up and the measurement. A young collection promotes what the
     * first bursts allocated per socket, and Rollcall runs slower from then on (bench/results/fanout-profile.md);
     * without this, a round's speed depends on whether such a collection happens to fall before or during it.
     */
    FanoutScenario collectAfterWarmup(boolean collect) {
        this.collectAfterWarmup = collect;
        return this;
    }

    private double warmupSeconds() {
        return warmupSeconds >= 0 ? warmupSeconds : Math.min(o.seconds, WARMUP_SECONDS);
    }

    /** Where one measurement puts its figures. */
    interface Sink {
        void put(String metric, double value, String unit);
    }

    private interface Launch {
        Target start() throws Exception;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("fanout").param("subscribers", o.subscribers).param("seconds", o.seconds)
                .param("window", o.window).param("latencyDeliveriesPerSecond", o.latencyRate).param("format", o.format.name().toLowerCase())
                .param("rounds", rounds).param("warmup", warmupSeconds());
        if (collectAfterWarmup) {
            r.param("collect_after_warmup", true);
        }
        List<String> names = new ArrayList<>(List.of("rollcall", "reference"));
        List<Launch> launches = new ArrayList<>(List.of(() -> Target.rollcall(serverJar, List.of()),
                () -> Target.reference(ReferenceServer.Mode.LIMIT)));
        if (withBroadcast) {
            names.add(BROADCAST_COLUMN);
            launches.add(() -> Target.reference(ReferenceServer.Mode.BROADCAST));
        }
        List<List<Map<String, Double>>> runs = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            runs.add(new ArrayList<>());
        }
        Map<String, String> units = new LinkedHashMap<>();
        // The load client warms up, unmeasured, with a run against every target before any is measured: after
        // one run only, round 1 was still slower for both (a colder client, bench JVM and kernel), and its
        // first target (Rollcall) the most.
        for (int k = 0; k < names.size(); k++) {
            settle();
            try (Target t = launches.get(k).start(); LoadClient client = new LoadClient(2)) {
                measure(List.of(t.port()), client, (m, v, u) -> { }, t::cpuNanos, collector(t));
            }
        }
        System.out.println("  load client warmed up (an unmeasured run against each target)");
        for (int round = 0; round < rounds; round++) {
            for (int j = 0; j < names.size(); j++) {
                int k = round % 2 == 0 ? j : names.size() - 1 - j;
                Map<String, Double> figures = new LinkedHashMap<>();
                settle();
                try (Target t = launches.get(k).start(); LoadClient client = new LoadClient(2)) {
                    measure(List.of(t.port()), client, (m, v, u) -> {
                        figures.put(m, v);
                        units.put(m, u);
                    }, t::cpuNanos, collector(t));
                }
                runs.get(k).add(figures);
                System.out.printf(Locale.ROOT, "  round %d %-20s %,.0f deliveries/s  p99 %.2f ms  cpu %.2f cores%n", round + 1, names.get(k),
                        figures.getOrDefault("deliveries_per_second", Double.NaN), figures.getOrDefault("latency_p99", Double.NaN),
                        figures.getOrDefault("server_cpu_cores", Double.NaN));
            }
        }
        for (String metric : units.keySet()) {
            for (int k = 0; k < names.size(); k++) {
                double v = summary(metric, runs.get(k));
                if (k == 0) {
                    r.put(Target.Kind.ROLLCALL, metric, v, units.get(metric));
                } else if (k == 1) {
                    r.put(Target.Kind.REFERENCE, metric, v, units.get(metric));
                } else {
                    r.putThird(names.get(k), metric, v, units.get(metric));
                }
            }
        }
        if (rounds > 1) {
            // How far apart the rounds were: (max - min) / median of each column's throughput.
            for (int k = 0; k < names.size(); k++) {
                double[] d = runs.get(k).stream().mapToDouble(f -> f.getOrDefault("deliveries_per_second", 0.0)).sorted().toArray();
                r.param("spread_" + names.get(k).replace(' ', '_'), String.format(Locale.ROOT, "%.2f", (d[d.length - 1] - d[0]) / median(d)));
            }
        }
        return r;
    }

    /**
     * Every run starts against a load client in the same state: the previous run's connections are garbage in the
     * bench JVM's heap, collected now rather than during the next measurement (on two cores, the bench's GC
     * threads take CPU from the server measured).
     */
    private static void settle() {
        System.gc();
    }

    /** Losses add up over rounds (any loss must show); everything else is the median. */
    private static double summary(String metric, List<Map<String, Double>> runs) {
        double[] values = runs.stream().mapToDouble(f -> f.getOrDefault(metric, Double.NaN)).sorted().toArray();
        return metric.contains("lost") ? java.util.Arrays.stream(values).sum() : median(values);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Measures into {@code r}'s {@code kind} column, with the subscribers spread evenly over the servers at
     * {@code ports} and the publisher on the first.
     */
    void measure(Target.Kind kind, List<Integer> ports, LoadClient client, Result r) throws Exception {
        measure(ports, client, (m, v, u) -> r.put(kind, m, v, u), null, null);
    }

    /**
     * Between the target's warm-up and its measurement: the full GC, if this scenario asks for one, then the
     * profiler's start when profiling the measurement only; null if neither.
     */
    private Runnable collector(Target t) {
        boolean profile = Flame.isMeasurementOnly();
        if (!collectAfterWarmup && !profile) {
            return null;
        }
        return () -> {
            if (collectAfterWarmup) {
                t.collectGarbage();
            }
            if (profile) {
                t.startProfiling();
            }
        };
    }

    /**
     * As above, into {@code out}; with {@code cpuNanos} (the server's CPU time so far) also the CPU it spent;
     * {@code afterWarmup}, if not null, runs between the warm-up and the measurement.
     */
    void measure(List<Integer> ports, LoadClient client, Sink out, LongSupplier cpuNanos, Runnable afterWarmup) throws Exception {
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

        // Warm-up, not measured: the same load for a while, so the JIT has compiled the hot path (its compiler
        // threads otherwise take more CPU than the event loops in a short run, far more for the larger server).
        long seq = pump(pub, channel, 0, warmupSeconds(), delivered, n);
        drain(delivered, seq * n);
        if (afterWarmup != null) {
            afterWarmup.run();
        }

        // (a) throughput with a bounded in-flight window.
        long before0 = delivered.get();
        long cpuBefore = cpuNanos == null ? -1 : cpuNanos.getAsLong();
        long start = System.nanoTime();
        seq = pump(pub, channel, seq, o.seconds, delivered, n);
        drain(delivered, seq * n);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpuAfter = cpuNanos == null ? -1 : cpuNanos.getAsLong();
        long got = delivered.get() - before0;
        out.put("deliveries_per_second", got / elapsed, "1/s");
        out.put("lost_or_duplicated", (seq * n - delivered.get()) + violations.get(), "msgs");
        if (cpuBefore >= 0 && cpuAfter >= 0) {
            // The server's own CPU for the throughput phase: what it spends per delivery does not depend on
            // how much of the shared cores the load client and everything else took meanwhile.
            out.put("server_cpu_cores", (cpuAfter - cpuBefore) / 1e9 / elapsed, "cores");
            out.put("server_cpu_per_delivery", (cpuAfter - cpuBefore) / (double) Math.max(1, got), "ns");
        }

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
        out.put("latency_p50", latency.getValueAtPercentile(50) / 1e6, "ms");
        out.put("latency_p99", latency.getValueAtPercentile(99) / 1e6, "ms");
        out.put("latency_p99.9", latency.getValueAtPercentile(99.9) / 1e6, "ms");
        out.put("latency_lost", (before + sent * n) - delivered.get(), "msgs");
    }

    /** Publishes for {@code seconds}, at most {@code window} messages ahead of the slowest; returns the next seq. */
    private long pump(WireConnection pub, String channel, long seq, double seconds, AtomicLong delivered, int n) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            if (seq - delivered.get() / n >= o.window) {
                // Parked, not spinning: on two cores a spinning publisher would take a core from the server
                // and the subscribers it is measuring.
                LockSupport.parkNanos(20_000);
                continue;
            }
            publish(pub, channel, seq++);
        }
        return seq;
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
