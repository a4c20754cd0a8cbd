package io.rollcall.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ErrorInfo;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server as users run it: `rollcall serve` in its own process, stopped with SIGTERM (Ctrl-C). */
class ServeProcessIT {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    private static final Pattern GENERATED = Pattern.compile("generated API key (\\S+)");

    @TempDir
    Path dir;

    record Server(Process process, List<String> lines) {
        String await(Pattern p) {
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
    }

    static Server start(ProcessBuilder pb) throws Exception {
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
        return new Server(p, lines);
    }

    static ProcessBuilder serve(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("java", "-jar", System.getProperty("rollcall.jar"), "serve"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    @Test
    void generatesAKeyWhenNoneIsGivenAndShutsDownGracefullyOnSigterm() throws Exception {
        Server server = start(serve("--port", "0"));
        try {
            int port = Integer.parseInt(server.await(LISTENING));
            String key = server.await(GENERATED);
            AblyRealtime client = AblyJava.connected(AblyJava.realtime(port, key, true, o -> o.clientId = "survivor"));
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            List<ErrorInfo> reasons = new CopyOnWriteArrayList<>();
            client.connection.on(change -> {
                states.add(change.current);
                reasons.add(change.reason);
            });

            // SIGTERM, as a process manager sends (Ctrl-C is SIGINT, handled alike). ProcessHandle, unlike
            // Process.destroy(), leaves our end of the output pipe open to read the last lines.
            server.process().toHandle().destroy();
            assertThat(server.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process().exitValue()).isIn(0, 143);
            // The client is told to go away and retries elsewhere; it does not fail.
            Await.until(() -> states.contains(ConnectionState.disconnected), "client disconnected");
            assertThat(states).doesNotContain(ConnectionState.failed);
            Await.until(() -> server.lines().stream().anyMatch(l -> l.contains("shutting down")), "shutdown message");
            client.close();
        } finally {
            server.process().destroyForcibly();
        }
    }

    @Test
    void takesKeysFromTheEnvironmentAndSettingsFromAConfigFile() throws Exception {
        Path config = dir.resolve("rollcall.yaml");
        Files.writeString(config, "port: 0\nlimits:\n  maxMessageSize: 1000\n");
        ProcessBuilder pb = serve("--config", config.toString());
        pb.environment().put("ROLLCALL_KEYS", "envapp.k1:secret1 envapp.k2:secret2");
        Server server = start(pb);
        try {
            int port = Integer.parseInt(server.await(LISTENING));
            assertThat(server.lines()).noneMatch(l -> l.contains("generated API key"));
            AblyRealtime client = AblyJava.connected(AblyJava.realtime(port, "envapp.k2:secret2", false, o -> { }));
            assertThat(client.connection.id).isNotBlank();
            io.rollcall.server.testing.Completion big = new io.rollcall.server.testing.Completion();
            client.channels.get("c").publish("n", "x".repeat(2000), big);
            assertThat(big.error().code).isEqualTo(40009);
            client.close();
        } finally {
            server.process().destroyForcibly();
        }
    }

    @Test
    void rejectsABadConfigFileAtStartWithAClearMessage() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "prot: 8080\n");
        Server server = start(serve("--config", config.toString(), "--port", "0"));
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).isNotZero();
        Await.until(() -> server.lines().stream().anyMatch(l -> l.contains("unknown setting 'prot'")), "error message");
    }
}
