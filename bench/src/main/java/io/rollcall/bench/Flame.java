package io.rollcall.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --profile DIR}: every server the bench starts (Rollcall, and the reference for comparison) runs under
 * async-profiler (its native agent, from the {@code tools.profiler:async-profiler} jar) and leaves a CPU flame
 * graph, {@code DIR/<rollcall|reference>-<label>-<n>.html}, when it exits. The whole life of the server is sampled, set-up included (its stacks sit apart: handshakes and
 * attaches). Sampling uses {@code itimer}, which needs no perf_events permission (containers, paranoid kernels);
 * {@code -Drollcall.bench.profileEvent=cpu} samples with perf_events instead, kernel stacks included (where
 * permitted: it shows what a {@code send(2)} costs inside the kernel).
 */
final class Flame {
    private static volatile Path dir;
    private static volatile String label = "rollcall";
    private static volatile String extension = "html";
    /** Fan-out: sample only from the end of the warm-up (the agent attached then, see {@link #attach}). */
    private static volatile boolean measurementOnly;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Path agent;

    private Flame() {}

    /**
     * Turns profiling on for the servers started from now on; {@code format} {@code html} (a flame graph) or
     * {@code collapsed} (one line per stack, for scripts and diffs).
     */
    static void into(Path directory, String format) {
        dir = directory;
        extension = format;
    }

    /** Profiling off again for the servers started from now on (tests). */
    static void off() {
        dir = null;
        measurementOnly = false;
    }

    /**
     * Fan-out only: no agent at start; {@link #attach} starts it in a running server once its warm-up is over, so
     * the profile holds the measurement (and what follows until the server exits), not the connects and attaches.
     */
    static void measurementOnly(boolean on) {
        measurementOnly = on;
    }

    static boolean isMeasurementOnly() {
        return dir != null && measurementOnly;
    }

    /** Attaches the agent to the running process {@code pid} and starts sampling (see {@link #measurementOnly}). */
    static void attach(String who, long pid) {
        try {
            // Quoted: jcmd would otherwise read the '=' in the agent's options as its own name=value syntax.
            String out = Jcmd.run(pid, "JVMTI.agent_load", agent().toString(), '"' + startArguments(who) + '"');
            if (!out.contains("return code: 0")) {
                throw new IllegalStateException("could not attach async-profiler: " + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String startArguments(String who) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.toAbsolutePath().resolve(String.format(Locale.ROOT, "%s-%s-%d.%s", who, label, SEQ.incrementAndGet(), extension));
        return "start,event=" + System.getProperty("rollcall.bench.profileEvent", "itimer") + ",interval=1ms,file=" + file;
    }

    /** What the next flame graphs are named for, e.g. {@code fanout-10000-msgpack}. */
    static void label(String name) {
        label = name;
    }

    /** The JVM options that profile one server ({@code who}: rollcall or reference); none when profiling is off. */
    static List<String> jvmOptions(String who) {
        if (dir == null) {
            return List.of();
        }
        List<String> options = new java.util.ArrayList<>(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
        if (measurementOnly) {
            return options; // the agent comes later (attach)
        }
        try {
            options.add("-agentpath:" + agent() + "=" + startArguments(who));
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The agent for this machine, copied out of its jar once. */
    private static synchronized Path agent() throws IOException {
        if (agent == null) {
            String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
            try (InputStream in = Flame.class.getResourceAsStream("/" + arch + "/libasyncProfiler.so")) {
                if (in == null) {
                    throw new IOException("async-profiler's " + arch + " library is not on the class path");
                }
                Path so = Files.createTempFile("libasyncProfiler", ".so");
                so.toFile().deleteOnExit();
                Files.copy(in, so, StandardCopyOption.REPLACE_EXISTING);
                agent = so;
            }
        }
        return agent;
    }
}
