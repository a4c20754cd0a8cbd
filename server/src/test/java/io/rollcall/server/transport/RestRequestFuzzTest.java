package io.rollcall.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rollcall.server.core.Node;
import io.rollcall.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Coverage-guided fuzzing of the REST request path: the input is the raw bytes a client sends (request line, path,
 * query, headers, body), fed through the server's own pipeline (HTTP parsing, body bound, pre-upgrade guard,
 * dispatch, REST API) in process. Properties: nothing escapes to the end of the pipeline, no answer is a 5xx, and
 * every error answer carries an Ably error code (4xxxx) in {@code X-Ably-Errorcode}.
 */
class RestRequestFuzzTest {
    /** One server for every input (started on first use, also by a standalone Jazzer run). */
    private static final class Server {
        static final TestServer SERVER = TestServer.start();
        static final Node NODE = SERVER.rollcall().node();
        static final RealtimeEndpoint REALTIME = new RealtimeEndpoint(NODE);
        static final RestApi REST = new RestApi(NODE);
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
    void request(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        EmbeddedChannel ch = new EmbeddedChannel();
        HttpServer.initPipeline(ch.pipeline(), Server.NODE, Server.REALTIME, Server.REST, null, null,
                new UpgradeGuard.Pending(1000, 1000));
        ch.pipeline().fireChannelActive();
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(data));
            for (int i = 0; i < 3; i++) {
                ch.runPendingTasks();
            }
            ch.checkException();
            StringBuilder out = new StringBuilder();
            for (Object o; (o = ch.readOutbound()) != null; ) {
                if (o instanceof ByteBuf b) {
                    out.append(b.toString(StandardCharsets.ISO_8859_1));
                    b.release();
                } else {
                    io.netty.util.ReferenceCountUtil.release(o);
                }
            }
            checkResponses(out.toString());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Walks the responses written: status lines and headers (bodies are skipped by Content-Length). */
    private static void checkResponses(String out) {
        int at = 0;
        while (at < out.length()) {
            int end = out.indexOf("\r\n\r\n", at);
            if (end < 0 || !out.startsWith("HTTP/1.1 ", at)) {
                return; // a WebSocket's frames after a 101, or nothing more
            }
            String head = out.substring(at, end + 2);
            int status = Integer.parseInt(head.substring(9, 12));
            if (status == 101) {
                return;
            }
            assertThat(status).as(head).isLessThan(500);
            String lower = head.toLowerCase(Locale.ROOT);
            if (status >= 400) {
                assertThat(header(lower, "x-ably-errorcode")).as("an Ably error code in " + head).isNotNull();
                assertThat(Integer.parseInt(header(lower, "x-ably-errorcode"))).as(head).isBetween(40000, 49999);
            }
            String length = header(lower, "content-length");
            at = end + 4 + (length == null ? 0 : Integer.parseInt(length));
        }
    }

    private static String header(String head, String name) {
        int i = head.indexOf("\r\n" + name + ": ");
        if (i < 0) {
            return null;
        }
        int from = i + name.length() + 4;
        return head.substring(from, head.indexOf("\r\n", from)).trim();
    }
}
