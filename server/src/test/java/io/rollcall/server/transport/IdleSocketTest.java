package io.rollcall.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The server's side of an idle socket: a HEARTBEAT whenever it has written nothing for maxIdleInterval, a
 * WebSocket ping for each whole interval the peer is silent, and the socket dropped after three. A hand-rolled
 * WebSocket client, because every real one answers pings by itself.
 */
class IdleSocketTest {
    private static final long INTERVAL_MS = 300;

    @Test
    void aPeerThatNeverAnswersIsPingedThenDropped() throws Exception {
        try (TestServer server = TestServer.start(l -> l.maxIdleInterval(Duration.ofMillis(INTERVAL_MS)));
             Peer peer = Peer.open(server.port())) {
            long opened = System.nanoTime();
            int pings = 0;
            for (Frame f; (f = peer.read()) != null; ) {
                if (f.opcode == 0x9) {
                    pings++;
                }
            }
            long lastedMs = (System.nanoTime() - opened) / 1_000_000;
            // Two, one per silent interval before the third; one if the machine stalled across an interval.
            assertThat(pings).as("pings for the silent intervals before the third").isBetween(1, 2);
            assertThat(lastedMs).as("not dropped before three silent intervals").isGreaterThanOrEqualTo(3 * INTERVAL_MS - 50);
        }
    }

    @Test
    void aPeerThatAnswersPingsStaysAndHearsHeartbeats() throws Exception {
        try (TestServer server = TestServer.start(l -> l.maxIdleInterval(Duration.ofMillis(INTERVAL_MS)));
             Peer peer = Peer.open(server.port())) {
            int pings = 0;
            int heartbeats = 0;
            // Four answered pings: more than three intervals with nothing but pongs from the peer.
            while (pings < 4) {
                Frame f = peer.read();
                assertThat(f).as("the socket stays open").isNotNull();
                if (f.opcode == 0x9) {
                    pings++;
                    peer.write(0xA, f.payload);
                } else if (f.opcode == 0x1 && f.text().contains("\"action\":0")) {
                    heartbeats++;
                }
            }
            assertThat(heartbeats).as("a HEARTBEAT within each interval without other traffic").isGreaterThanOrEqualTo(3);
            peer.write(0x1, "{\"action\":0,\"id\":\"still-here\"}".getBytes(StandardCharsets.UTF_8));
            for (Frame f; ; ) {
                f = peer.read();
                assertThat(f).as("the socket stays open").isNotNull();
                if (f.opcode == 0x1 && f.text().contains("still-here")) {
                    break;
                }
            }
        }
    }

    /**
     * Peers that connected together fall silent together, but are pinged on different steps of the interval:
     * one burst of pings (and of pongs back) would hold up every delivery on the loop meanwhile.
     */
    @Test
    void peersThatFellSilentTogetherArePingedOnDifferentSteps() throws Exception {
        long interval = 1600;
        long step = interval / IdleSweep.CHECKS;
        try (TestServer server = TestServer.start(l -> l.maxIdleInterval(Duration.ofMillis(interval)))) {
            java.util.List<Peer> peers = new java.util.ArrayList<>();
            java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newCachedThreadPool();
            try {
                for (int i = 0; i < 2 * IdleSweep.CHECKS; i++) {
                    peers.add(Peer.open(server.port()));
                }
                java.util.List<java.util.concurrent.CompletableFuture<Long>> firstPings = new java.util.ArrayList<>();
                for (Peer peer : peers) {
                    firstPings.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            for (Frame f; (f = peer.read()) != null; ) {
                                if (f.opcode == 0x9) {
                                    return System.nanoTime();
                                }
                            }
                            throw new AssertionError("closed before its first ping");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, readers));
                }
                long[] at = firstPings.stream().mapToLong(f -> Await.get(f)).sorted().toArray();
                long spreadMs = (at[at.length - 1] - at[0]) / 1_000_000;
                // All on one or two adjacent steps would be within about 2 steps; one per slot spans about 7.
                assertThat(spreadMs).as("first pings spread over the interval's steps").isGreaterThanOrEqualTo(3 * step);
            } finally {
                for (Peer p : peers) {
                    p.close();
                }
                readers.shutdownNow();
            }
        }
    }

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A bare WebSocket client over a plain socket: it answers nothing unless told to. */
    static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Peer open(int port) throws IOException {
            Peer p = new Peer(new Socket("127.0.0.1", port));
            String key = Base64.getEncoder().encodeToString("rollcall-idle-key".getBytes(StandardCharsets.US_ASCII));
            p.out.write(("GET /?format=json&key=" + TestServer.KEY + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            p.out.flush();
            // The response headers end with an empty line.
            int matched = 0;
            while (matched < 4) {
                int b = p.in.read();
                if (b < 0) {
                    throw new EOFException("closed during the handshake");
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return p;
        }

        /** The next frame, or null once the server has closed the socket. */
        Frame read() throws IOException {
            try {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                return new Frame(b0 & 0x0F, payload);
            } catch (EOFException | java.net.SocketException e) {
                return null;
            }
        }

        /** One masked frame, as a client must send. */
        void write(int opcode, byte[] payload) throws IOException {
            byte[] mask = {1, 2, 3, 4};
            java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
            f.write(0x80 | opcode);
            if (payload.length < 126) {
                f.write(0x80 | payload.length);
            } else {
                f.write(0x80 | 126);
                f.write(payload.length >> 8);
                f.write(payload.length & 0xFF);
            }
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
            out.write(f.toByteArray());
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
