package io.rollcall.bench;

import io.rollcall.server.protocol.WireFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rollcall bench <scenario>}: runs a load scenario against Rollcall and against the bare Netty reference
 * on this machine, prints a table (each figure beside the reference, with the ratio) and writes JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Rollcall beside a bare broadcast reference. Scenarios: fanout, cluster, scaleout, connections, sync, storm, occupancy, chat, all; jmh for micro-benchmarks.")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "fanout | cluster | scaleout | connections | sync | storm | occupancy | chat | all | jmh")
    String scenario;

    @Option(names = "--subscribers", split = ",", description = "Fan-out subscribers (default 1000,10000 for fanout; 1000 for cluster; 36000 in all for scaleout).")
    List<Integer> subscribers;

    @Option(names = "--seconds", defaultValue = "5", description = "Measurement time per phase (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--window", defaultValue = "50", description = "Fan-out in-flight window, in messages (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--latency-rate", defaultValue = "50000", description = "Deliveries per second for the latency phase (default ${DEFAULT-VALUE}).")
    int latencyRate;

    @Option(names = "--format", defaultValue = "msgpack", description = "json or msgpack (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--nodes", defaultValue = "3", description = "scaleout: Rollcall nodes sharing one Redis (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--single-subscribers", defaultValue = "18000",
            description = "scaleout: subscribers on the single node it is compared with, at most what one process can hold (default ${DEFAULT-VALUE}).")
    int singleSubscribers;

    @Option(names = "--per-process", defaultValue = "18000",
            description = "scaleout: sockets per load process, under the per-process file limit (default ${DEFAULT-VALUE}).")
    int perProcess;

    @Option(names = "--node-heap-mb", defaultValue = "3072", description = "scaleout: heap of each node, MiB (default ${DEFAULT-VALUE}).")
    int nodeHeapMb;

    @Option(names = "--rounds", defaultValue = "1", description = "Fan-out: runs of each target, alternating; figures are medians (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "-1",
            description = "Fan-out: unmeasured seconds of the same load before each measurement (default: as long as --seconds, at most 3).")
    double warmup;

    @Option(names = "--collect-after-warmup",
            description = "Fan-out: a full GC in every server after its warm-up, so the measurement sees what a long-running server holds (its per-socket objects old).")
    boolean collectAfterWarmup;

    @Option(names = "--no-broadcast-reference", description = "Fan-out: skip the earlier (broadcast) reference's column.")
    boolean noBroadcastReference;

    @Option(names = "--connections", split = ",", description = "Idle connection counts to measure (default 1000,5000,10000,15000).")
    List<Integer> connections;

    @Option(names = "--histogram", description = "connections: write each server's class histogram at the largest count into --out.")
    boolean histogram;

    @Option(names = "--members", defaultValue = "10000", description = "Presence members for sync (default ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--clients", defaultValue = "1000", description = "Clients in the presence storm (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--viewers", defaultValue = "10000", description = "Attaches in the occupancy burst (default ${DEFAULT-VALUE}).")
    int viewers;

    @Option(names = "--chat-messages", defaultValue = "1000", description = "Messages in the chat room before reads (default ${DEFAULT-VALUE}).")
    int chatMessages;

    @Option(names = "--chat-reads", defaultValue = "200", description = "Requests of each kind in the chat scenario (default ${DEFAULT-VALUE}).")
    int chatReads;

    @Option(names = "--profile", description = "Run every Rollcall server under async-profiler and write its CPU flame graph into this directory.")
    Path profile;

    @Option(names = "--profile-format", defaultValue = "html", description = "html (flame graph) or collapsed stacks (default ${DEFAULT-VALUE}).")
    String profileFormat;

    @Option(names = "--profile-measurement-only",
            description = "Fan-out: start the profiler in each server when its warm-up ends (after --collect-after-warmup's GC), so the profile holds the measurement, not the connects.")
    boolean profileMeasurementOnly;

    @Option(names = "--out", defaultValue = "bench/results", description = "Directory for the JSON results (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--server-jar", defaultValue = "${sys:rollcall.server.jar:-server/target/rollcall-server.jar}",
            description = "The Rollcall server jar to measure.")
    String serverJar;

    /** For {@code jmh}: anything else is passed to JMH (e.g. {@code -wi 1 -i 3 -f 1}). */
    @CommandLine.Unmatched
    List<String> jmhArgs = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!scenario.equals("jmh") && !jmhArgs.isEmpty()) {
            System.err.println("unknown options: " + jmhArgs);
            return 2;
        }
        WireFormat f = WireFormat.fromQuery(format);
        if (profile != null) {
            if (!profileFormat.equals("html") && !profileFormat.equals("collapsed")) {
                System.err.println("--profile-format: html or collapsed");
                return 2;
            }
            Flame.into(profile, profileFormat);
            Flame.measurementOnly(profileMeasurementOnly);
        }
        List<Result> results = new ArrayList<>();
        boolean all = scenario.equals("all");
        if (all || scenario.equals("fanout")) {
            for (int n : subscribers != null ? subscribers : List.of(1000, 10000)) {
                Flame.label("fanout-" + n + "-" + format);
                results.add(show(new FanoutScenario(new FanoutScenario.Options(n, seconds, window, latencyRate, f), rounds,
                        !noBroadcastReference).warmup(warmup).collectAfterWarmup(collectAfterWarmup).run(serverJar)));
            }
        }
        if (all || scenario.equals("cluster")) {
            for (int n : subscribers != null ? subscribers : List.of(1000)) {
                results.add(show(new ClusterScenario(new FanoutScenario.Options(n, seconds, window, latencyRate, f)).run(serverJar)));
            }
        }
        if (scenario.equals("scaleout")) {
            // Not part of `all`: tens of thousands of sockets take minutes to open.
            for (int n : subscribers != null ? subscribers : List.of(36000)) {
                results.add(show(new ScaleOutScenario(new ScaleOutScenario.Options(nodes, n, Math.min(singleSubscribers, n), perProcess,
                        seconds, window, latencyRate, f, nodeHeapMb)).run(serverJar)));
            }
        }
        if (all || scenario.equals("connections")) {
            results.add(show(new ConnectionsScenario(connections != null ? connections : List.of(1000, 5000, 10000, 15000), f,
                    histogram ? out : null).run(serverJar)));
        }
        if (all || scenario.equals("sync")) {
            Flame.label("sync-" + members);
            results.add(show(new SyncScenario(members).run(serverJar)));
        }
        if (all || scenario.equals("storm")) {
            Flame.label("storm-" + clients + "-" + format);
            results.add(show(new StormScenario(clients, f).run(serverJar)));
        }
        if (all || scenario.equals("occupancy")) {
            results.add(show(new OccupancyScenario(viewers, f).run(serverJar)));
        }
        if (all || scenario.equals("chat")) {
            results.add(show(new ChatScenario(chatMessages, chatReads).run(serverJar)));
        }
        if (scenario.equals("jmh")) {
            // JMH micro-benchmarks of the codec and capability matching, in a forked JVM.
            List<String> args = new ArrayList<>(jmhArgs);
            args.add("io.rollcall.bench.jmh");
            org.openjdk.jmh.Main.main(args.toArray(new String[0]));
            return 0;
        }
        if (results.isEmpty()) {
            System.err.println("unknown scenario '" + scenario + "'");
            return 2;
        }
        Report.writeJson(results, out.resolve(scenario + ".json"));
        Report.writeMarkdown(results, out.resolve(scenario + ".md"));
        System.out.println("\nwrote " + out.resolve(scenario + ".json") + " and " + out.resolve(scenario + ".md"));
        return 0;
    }

    private static Result show(Result r) {
        Report.print(r, System.out);
        return r;
    }
}
