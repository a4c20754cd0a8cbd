package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import io.rollcall.server.testing.TestServer;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of what the server does with a decoded frame ({@link InboundProtocol}): the input is a
 * session of JSON frames, one per line, played on a fresh connection of a real in-process server (with a key of
 * every capability, or a subscribe-only one). Properties: nothing but an {@link AblyException} escapes (the socket
 * turns anything else into a 50000), and no answer the client gets is a 5xx error.
 */
class InboundProtocolFuzzTest {
    private static final class Server {
        static final TestServer SERVER = TestServer.start();
        static final Node NODE = SERVER.rollcall().node();
    }

    /**
     * The server starts before fuzzing does (JUnit's @BeforeAll, Jazzer's fuzzerInitialize), so its start-up is
     * not charged to the first input as a slow one.
     */
    @org.junit.jupiter.api.BeforeAll
    static void start() {
        fuzzerInitialize();
    }

    public static void fuzzerInitialize() {
        assertThat(Server.NODE).isNotNull();
    }

    @FuzzTest(maxDuration = "15s")
    void frames(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        Node node = Server.NODE;
        boolean limited = (data[0] & 1) == 1;
        DyingSocketTest.Socket socket = new DyingSocketTest.Socket(); // keeps what the core sends
        String key = limited ? TestServer.LIMITED_KEY : TestServer.KEY;
        Connection c = node.connect(new Node.ConnectRequest(
                node.authenticator().resolveClientId(node.authenticator().authenticateKey(key), "fuzz"), true, 0L, null), socket);
        try {
            for (String line : new String(data, 1, data.length - 1, StandardCharsets.UTF_8).split("\n", 16)) {
                ProtocolMessage pm;
                try {
                    pm = ProtocolCodec.of(WireFormat.JSON).decode(line.getBytes(StandardCharsets.UTF_8));
                } catch (AblyException malformed) {
                    continue;
                }
                try {
                    node.inbound().receive(c, pm);
                } catch (AblyException e) {
                    assertThat(e.error().statusCode()).as(e.error().toString()).isLessThan(500);
                    node.inbound().fatal(c, e.error());
                }
                if (socket.closing) {
                    break;
                }
            }
            c.acks.join();
            for (ProtocolMessage out : socket.sent) {
                if (out.error != null && (out.action == Action.ERROR || out.action == Action.NACK)) {
                    assertThat(out.error.statusCode()).as(out.error.toString()).isLessThan(500);
                }
            }
        } finally {
            node.inbound().receive(c, new ProtocolMessage(Action.CLOSE));
        }
    }
}
