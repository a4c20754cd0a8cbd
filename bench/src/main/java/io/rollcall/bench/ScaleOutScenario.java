package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Past one process's file limit on one machine: the fan-out with its subscribers spread over {@code nodes}
 * Rollcall nodes sharing one Redis, and held by as many load processes as it takes ({@link SubscriberProcess},
 * at most {@code perProcess} sockets each), beside one node (memory engine) carrying as many subscribers as
 * one process may hold. The publisher is on the first node, so most deliveries cross Redis. Both columns are
 * Rollcall; the subscriber counts differ, so the ratio of deliveries per second is what the extra nodes buy.
 * Every subscriber checks it got every message once, in order.
 */
final class ScaleOutScenario {
    record Options(int nodes, int subscribers, int singleSubscribers, int perProcess, double seconds, int window,
                   int latencyRate, WireFormat format, int nodeHeapMb) {}

    private static final String CHANNEL = "scaleout";
    private final Options o;

    ScaleOutScenario(Options o) {
        this.o = o;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("scaleout-fanout").columns(o.nodes + " nodes", "1 node")
                .param("nodes", o.nodes).param("subscribers", o.subscribers).param("singleNodeSubscribers", o.singleSubscribers)
                .param("socketsPerLoadProcess", o.perProcess).param("seconds", o.seconds).param("window", o.window)
                .param("latencyDeliveriesPerSecond", o.latencyRate).param("format", o.format.name().toLowerCase())
                .param("nodeHeapMb", o.nodeHeapMb);
        List<String> heap = List.of("-Xmx" + o.nodeHeapMb + "m");
        try (ScratchRedis redis = new ScratchRedis()) {
            List<Target> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < o.nodes; i++) {
                    nodes.add(Target.rollcall(serverJar, heap, List.of(), redis.serveArgs()));
                }
                measure(Target.Kind.ROLLCALL, nodes.stream().map(Target::port).toList(), o.subscribers, r);
            } finally {
                nodes.forEach(Target::close);
            }
        }
        try (Target single = Target.rollcall(serverJar, heap, List.of(), List.of())) {
            measure(Target.Kind.REFERENCE, List.of(single.port()), o.singleSubscribers, r);
        }
        return r;
    }

    private void measure(Target.Kind column, List<Integer> ports, int n, Result r) throws Exception {
        int processes = (n + o.perProcess - 1) / o.perProcess;
        List<Loader> loaders = new ArrayList<>();
        try (LoadClient client = new LoadClient(1)) {
            for (int p = 0; p < processes; p++) {
                int first = (int) ((long) n * p / processes);
                int count = (int) ((long) n * (p + 1) / processes) - first;
                loaders.add(new Loader(count, first, ports));
            }
            for (Loader l : loaders) {
                l.ready.get(600, TimeUnit.SECONDS);
            }
            WireConnection pub = Swarm.connect(client, ports.get(0), 1, o.format, i -> Swarm.query("pub"), (i, pm) -> { }).get(0);

            // (a) throughput with at most `window` messages not yet delivered to every subscriber.
            long seq = 0;
            long start = System.nanoTime();
            long end = start + (long) (o.seconds * 1e9);
            while (System.nanoTime() < end) {
                if (seq - delivered(loaders) / n >= o.window) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                publish(pub, seq++);
            }
            long published = seq;
            drain(loaders, published * n);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long got = delivered(loaders);
            long dup = duplicated(loaders);
            long ooo = outOfOrder(loaders);
            r.put(column, "subscribers", n, "count");
            r.put(column, "load_processes", processes, "count");
            r.put(column, "deliveries_per_second", got / elapsed, "1/s");
            r.put(column, "lost", Math.max(0, published * n - (got - dup)), "msgs");
            r.put(column, "lost_or_duplicated", (published * n - got) + dup + ooo, "msgs");

            // (b) latency at a fixed delivery rate.
            double msgsPerSecond = (double) o.latencyRate / n;
            long interval = (long) (1e9 / msgsPerSecond);
            long before = delivered(loaders);
            loaders.forEach(l -> l.command("L"));
            long next = System.nanoTime();
            long stop = next + (long) (o.seconds * 1e9);
            long sent = 0;
            while (next < stop) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(Math.min(next - now, 1_000_000));
                    continue;
                }
                publish(pub, seq++);
                sent++;
                next += interval;
            }
            drain(loaders, before + sent * n);
            Histogram latency = new Histogram(3_600_000_000_000L, 3);
            for (Loader l : loaders) {
                latency.add(l.histogram());
            }
            r.put(column, "latency_p50", latency.getValueAtPercentile(50) / 1e6, "ms");
            r.put(column, "latency_p99", latency.getValueAtPercentile(99) / 1e6, "ms");
            r.put(column, "latency_p99.9", latency.getValueAtPercentile(99.9) / 1e6, "ms");
            r.put(column, "latency_lost", (before + sent * n) - delivered(loaders), "msgs");
            // Over both phases: a copy or a reordering is wrong whenever it happens.
            r.put(column, "duplicated", duplicated(loaders), "msgs");
            r.put(column, "out_of_order", outOfOrder(loaders), "msgs");
            pub.close();
        } finally {
            loaders.forEach(Loader::close);
        }
    }

    private static long delivered(List<Loader> loaders) {
        long sum = 0;
        for (Loader l : loaders) {
            sum += l.delivered;
        }
        return sum;
    }

    private static long duplicated(List<Loader> loaders) {
        return loaders.stream().mapToLong(l -> l.duplicated).sum();
    }

    private static long outOfOrder(List<Loader> loaders) {
        return loaders.stream().mapToLong(l -> l.outOfOrder).sum();
    }

    private static void publish(WireConnection pub, long seq) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, CHANNEL);
        Message m = new Message();
        m.name = "n";
        m.data = seq + ":" + System.nanoTime();
        pm.messages = List.of(m);
        pub.sendSequenced(pm);
    }

    private static void drain(List<Loader> loaders, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (delivered(loaders) < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // Counts arrive every 5 ms: wait for two fresh reports from every process, so that what it had received
        // by now (a duplicate, say) is counted.
        long[] seen = loaders.stream().mapToLong(l -> l.reports).toArray();
        for (int i = 0; i < seen.length; i++) {
            while (loaders.get(i).reports < seen[i] + 2 && loaders.get(i).process.isAlive()) {
                Thread.sleep(1);
            }
        }
    }

    /** One {@link SubscriberProcess}, with its latest counts. */
    private final class Loader implements AutoCloseable {
        final Process process;
        final PrintStream commands;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile CompletableFuture<String> histogram = new CompletableFuture<>();
        volatile long delivered;
        volatile long duplicated;
        volatile long outOfOrder;
        /** Count lines received so far. */
        volatile long reports;

        Loader(int count, int first, List<Integer> ports) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1536m", "-cp", System.getProperty("java.class.path"), SubscriberProcess.class.getName(),
                    Integer.toString(count), Integer.toString(first), o.format == WireFormat.JSON ? "json" : "msgpack", CHANNEL));
            ports.forEach(p -> cmd.add(Integer.toString(p)));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            ready.complete(null);
                        } else if (line.startsWith("D ")) {
                            String[] f = line.split(" ");
                            duplicated = Long.parseLong(f[2]);
                            outOfOrder = Long.parseLong(f[3]);
                            delivered = Long.parseLong(f[1]);
                            reports++;
                        } else if (line.startsWith("H ")) {
                            histogram.complete(line.substring(2));
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.completeExceptionally(new IllegalStateException("load process exited before its subscribers attached"));
                histogram.completeExceptionally(new IllegalStateException("load process exited"));
            }, "load-process-output");
            reader.setDaemon(true);
            reader.start();
        }

        void command(String c) {
            commands.println(c);
        }

        Histogram histogram() throws Exception {
            command("H");
            byte[] b = Base64.getDecoder().decode(histogram.get(60, TimeUnit.SECONDS));
            try {
                return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(b), 0);
            } catch (DataFormatException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            command("Q");
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
