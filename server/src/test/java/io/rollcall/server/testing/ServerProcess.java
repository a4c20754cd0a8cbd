package io.rollcall.server.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server in its own process, `java -jar rollcall-server.jar serve ...`, with its output kept. */
public record ServerProcess(Process process, List<String> lines) {
    public static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    public static ProcessBuilder serve(String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", System.getProperty("rollcall.jar"), "serve"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    public static ServerProcess start(ProcessBuilder pb) throws java.io.IOException {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new ServerProcess(p, lines);
    }

    /** The first group of the first output line matching {@code p}, once one appears. */
    public String await(Pattern p) {
        return Await.value(() -> {
            for (String l : lines) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    return m.group(1);
                }
            }
            return null;
        }, v -> v != null, "server output matching " + p);
    }

    public int port() {
        return Integer.parseInt(await(LISTENING));
    }
}
