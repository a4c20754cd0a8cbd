package io.rollcall.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own process (so its memory is its own, and it keeps its own file limit): Rollcall
 * from its packaged jar, or the {@link ReferenceServer}. Both print {@code listening on 127.0.0.1:PORT}.
 */
public final class Target implements AutoCloseable {
    public static final String KEY = "bench.key:benchsecret";
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    public enum Kind { ROLLCALL, REFERENCE }

    private final Kind kind;
    private final Process process;
    private final int port;

    private Target(Kind kind, Process process, int port) {
        this.kind = kind;
        this.process = process;
        this.port = port;
    }

    /** Starts Rollcall with limits opened up for load (rates, queues, member caps) and the given overrides. */
    public static Target rollcall(String serverJar, List<String> limitOverrides) throws IOException {
        return rollcall(serverJar, limitOverrides, List.of());
    }

    /** With further {@code serve} arguments, e.g. {@code --redis URI} for a cluster node. */
    public static Target rollcall(String serverJar, List<String> limitOverrides, List<String> serveArgs) throws IOException {
        return rollcall(serverJar, List.of("-Xmx4g"), limitOverrides, serveArgs);
    }

    /** With the JVM's options given (e.g. its heap, for several nodes on one machine). */
    public static Target rollcall(String serverJar, List<String> jvmOptions, List<String> limitOverrides, List<String> serveArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(JvmOptions.ofJar(serverJar));
        cmd.addAll(jvmOptions);
        cmd.addAll(Flame.jvmOptions("rollcall"));
        // e.g. -Drollcall.bench.serverJvmArgs=-XX:StartFlightRecording=filename=rollcall.jfr to profile the server.
        String extra = System.getProperty("rollcall.bench.serverJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", serverJar, "serve", "--port", "0", "--key", KEY,
                "--limit", "maxInboundRate=1000000", "--limit", "outboundQueueMessages=200000",
                "--limit", "maxPresenceMembers=100000", "--limit", "maxChannelsPerConnection=100000"));
        List<String> limits = new ArrayList<>(limitOverrides);
        // e.g. -Drollcall.bench.limits=maxIdleInterval=600000 (comma-separated): limits for an experiment.
        for (String o : System.getProperty("rollcall.bench.limits", "").split(",")) {
            if (!o.isBlank()) {
                limits.add(o.strip());
            }
        }
        for (String o : limits) {
            cmd.add("--limit");
            cmd.add(o);
        }
        cmd.addAll(serveArgs);
        return start(Kind.ROLLCALL, cmd);
    }

    public static Target reference() throws IOException {
        return reference(ReferenceServer.Mode.LIMIT);
    }

    /** The reference in the given mode: LIMIT (the bar) or BROADCAST (the earlier, slower reference). */
    public static Target reference(ReferenceServer.Mode mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        // The same JVM options as Rollcall's: the reference is the best this machine does, not a default JVM.
        cmd.addAll(JvmOptions.ofClassPath());
        cmd.add("-Xmx4g");
        cmd.addAll(Flame.jvmOptions("reference"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                ReferenceServer.class.getName(), "0", "0", mode.name().toLowerCase(java.util.Locale.ROOT)));
        return start(Kind.REFERENCE, cmd);
    }

    /** CPU time the target process has used so far (user + system), in nanoseconds; -1 if unknown. */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Target start(Kind kind, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        // -Drollcall.bench.logs=DIR keeps each server's output, one file per process, for a run that went wrong.
        String logs = System.getProperty("rollcall.bench.logs");
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 java.io.PrintWriter log = logs == null ? null : new java.io.PrintWriter(Files.newBufferedWriter(
                         Files.createDirectories(Path.of(logs)).resolve(kind.name().toLowerCase() + "-" + p.pid() + ".log")), true)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (log != null) {
                        log.println(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            port.completeExceptionally(new IllegalStateException(kind + " exited before listening"));
        }, "target-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new Target(kind, p, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("could not start " + kind + ": " + e.getMessage(), e);
        }
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    /** Resident set size of the target process, in bytes (Linux /proc). */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** A full GC in the target process (jcmd GC.run), waited for; fails if jcmd does not confirm it. */
    public void collectGarbage() {
        try {
            String out = Jcmd.run(process.pid(), "GC.run");
            if (!out.contains("Command executed successfully")) {
                throw new IllegalStateException("jcmd GC.run failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** With {@code --profile} for the measurement only: starts sampling this server now. */
    public void startProfiling() {
        Flame.attach(kind.name().toLowerCase(java.util.Locale.ROOT), process.pid());
    }

    /** Heap in use after a full GC, in bytes, read with jcmd; -1 if jcmd is unavailable. */
    public long heapAfterGcBytes() {
        try {
            collectGarbage();
            String info = Jcmd.run(process.pid(), "GC.heap_info");
            Matcher m = HEAP_USED.matcher(info);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (RuntimeException e) {
            return -1; // the collection failed (jcmd unavailable or refused): no figure
        }
    }

    /** The live-object class histogram (after a full GC), as jcmd prints it; empty if jcmd is unavailable. */
    public String classHistogram() {
        try {
            return Jcmd.run(process.pid(), "GC.class_histogram");
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
