package io.rollcall.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ErrorInfo;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server as users run it: `rollcall serve` in its own process, stopped with SIGTERM (Ctrl-C). */
class ServeProcessIT {
    private static final Pattern GENERATED = Pattern.compile("generated API key (\\S+)");

    @TempDir
    Path dir;

    @Test
    void generatesAKeyWhenNoneIsGivenAndShutsDownGracefullyOnSigterm() throws Exception {
        ServerProcess server = ServerProcess.start(ServerProcess.serve("--port", "0"));
        try {
            int port = Integer.parseInt(server.await(ServerProcess.LISTENING));
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
        ProcessBuilder pb = ServerProcess.serve("--config", config.toString());
        pb.environment().put("ROLLCALL_KEYS", "envapp.k1:secret1 envapp.k2:secret2");
        ServerProcess server = ServerProcess.start(pb);
        try {
            int port = Integer.parseInt(server.await(ServerProcess.LISTENING));
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
        ServerProcess server = ServerProcess.start(ServerProcess.serve("--config", config.toString(), "--port", "0"));
        assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).isNotZero();
        Await.until(() -> server.lines().stream().anyMatch(l -> l.contains("unknown setting 'prot'")), "error message");
    }

    @Test
    void refusesToStartWhenRedisCannotBeReached() throws Exception {
        int nobody = io.rollcall.server.testing.RedisProcess.freePort();
        ServerProcess server = ServerProcess.start(ServerProcess.serve("--port", "0", "--key", "a.b:c",
                "--redis", "redis://127.0.0.1:" + nobody));
        assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).isEqualTo(2);
        Await.until(() -> server.lines().stream().anyMatch(l -> l.contains("cannot connect to Redis at redis://127.0.0.1:" + nobody)),
                "a clear message");
    }
}
