package io.rollcall.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sockets that never finish a request, or never send one, cannot be held open or pile up. */
class PreUpgradeLimitsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.httpRequestTimeout(Duration.ofMillis(1500)).maxPendingConnectionsPerAddress(20)
                .maxPendingConnections(1000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Socket open() throws IOException {
        Socket s = new Socket("localhost", server.port());
        s.setSoTimeout(20_000);
        return s;
    }

    /** Reads until the server closes the socket; returns what it sent. */
    static String readToClose(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aSocketThatSendsNothingIsClosedAfterTheRequestTimeout() throws Exception {
        try (Socket s = open()) {
            long start = System.nanoTime();
            assertThat(readToClose(s)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        }
    }

    @Test
    void aSlowUpgradeRequestIsClosedAfterTheRequestTimeoutEvenWhileItTrickles() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write("GET /?key=a HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            // A header line every 300 ms never completes the request; the socket goes at the timeout.
            boolean closed = false;
            while (!closed && System.nanoTime() - start < 10_000_000_000L) {
                Thread.sleep(300); // the trickle itself is the test's input, not a wait for a condition
                try {
                    s.getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (IOException gone) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed within 10 s").isTrue();
        }
    }

    @Test
    void keepAliveRestConnectionsAnswerThenCloseWhenIdle() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write("GET /time HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String all = readToClose(s);
            assertThat(all).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void pendingConnectionsPerAddressAreBoundedAndFreedWhenTheyGo() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                held.add(open());
            }
            // The 21st from this address is refused at once with Ably's 42910. Its socket may reach its event loop
            // before the 20th has reached another loop, and then it is admitted: it is given up after a short read
            // and the next one tried, while the 20 (closed 1.5 s after they opened) still count.
            Await.until(() -> {
                try (Socket extra = open()) {
                    extra.setSoTimeout(300);
                    return readToClose(extra).contains("42910");
                } catch (IOException e) {
                    return false;
                }
            }, "the 21st pending connection refused");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        // Once they go, the address may connect again, and an upgraded socket no longer counts.
        List<RawSocket> upgraded = new ArrayList<>();
        try {
            for (int i = 0; i < 25; i++) {
                RawSocket ws = Await.value(() -> {
                    try {
                        return RawSocket.open(server.port(), "key=" + TestServer.KEY, false);
                    } catch (RuntimeException refused) {
                        return null;
                    }
                }, v -> v != null, "a WebSocket");
                ws.next(4);
                upgraded.add(ws);
            }
            assertThat(upgraded).hasSize(25);
        } finally {
            upgraded.forEach(RawSocket::close);
        }
    }
}
