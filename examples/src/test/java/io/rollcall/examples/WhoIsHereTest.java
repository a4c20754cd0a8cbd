package io.rollcall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Two copies of the example in one room print each other, as a new user would see in two terminals. */
class WhoIsHereTest {
    static WhoIsHere example(int port, String clientId, ByteArrayOutputStream sink) {
        WhoIsHere w = new WhoIsHere();
        w.args = RoomArgs.of("demo", clientId, TestServer.KEY, "localhost", port);
        return w.output(new PrintStream(sink, true, StandardCharsets.UTF_8));
    }

    @Test
    void twoTerminalsSeeEachOther() throws Exception {
        try (TestServer server = TestServer.start()) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            WhoIsHere a = example(server.port(), "alice", first);
            WhoIsHere b = example(server.port(), "bob", second);
            Thread ta = new Thread(() -> run(a));
            Thread tb = new Thread(() -> run(b));
            ta.start();
            Await.until(() -> first.toString(StandardCharsets.UTF_8).contains("Joined room 'demo' as alice"), "alice joined");
            tb.start();
            Await.until(() -> first.toString(StandardCharsets.UTF_8).contains("here now: alice, bob"), "alice sees bob");
            Await.until(() -> second.toString(StandardCharsets.UTF_8).contains("here now: alice, bob"), "bob sees alice");
            Await.until(() -> first.toString(StandardCharsets.UTF_8).contains("* bob enter (online)"), "alice sees bob's status");
            Await.until(() -> first.toString(StandardCharsets.UTF_8).contains("occupancy: 2 connections, 2 present"), "occupancy");
            b.stop();
            tb.join(20_000);
            Await.until(() -> first.toString(StandardCharsets.UTF_8).contains("* bob leave"), "alice sees bob leave");
            a.stop();
            ta.join(20_000);
            assertThat(ta.isAlive()).isFalse();
        }
    }

    private static void run(WhoIsHere w) {
        try {
            w.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
