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
 * attaches). Sampling uses {@code itimer}, which needs no perf_events permission (containers, paranoid kernels).
 */
final class Flame {
    private static volatile Path dir;
    private static volatile String label = "rollcall";
    private static volatile String extension = "html";
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

    /** What the next flame graphs are named for, e.g. {@code fanout-10000-msgpack}. */
    static void label(String name) {
        label = name;
    }

    /** The JVM options that profile one server ({@code who}: rollcall or reference); none when profiling is off. */
    static List<String> jvmOptions(String who) {
        Path d = dir;
        if (d == null) {
            return List.of();
        }
        try {
            Files.createDirectories(d);
            Path file = d.toAbsolutePath().resolve(String.format(Locale.ROOT, "%s-%s-%d.%s", who, label, SEQ.incrementAndGet(), extension));
            return List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                    "-agentpath:" + agent() + "=start,event=itimer,interval=1ms,file=" + file);
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
