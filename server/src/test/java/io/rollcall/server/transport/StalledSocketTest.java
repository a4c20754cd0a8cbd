package io.rollcall.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading: its socket stops being writable, the drain stops with messages still queued, and
 * once the peer reads again the socket asks for the next drain itself. Nothing is lost, nothing reordered, and
 * the peer is not taken for a slow consumer while its queue is within bounds.
 */
class StalledSocketTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern NAME = Pattern.compile("\"name\":\"m(\\d+)\"");

    @Test
    void aPeerThatStopsReadingGetsEverythingInOrderOnceItReadsAgain() throws Exception {
        // 24 MB: more than a loopback socket's send and receive buffers hold together, so the socket stalls.
        int count = 400;
        String data = "x".repeat(60_000);
        try (TestServer server = TestServer.start(l -> l.outboundQueueMessages(10_000));
             IdleSocketTest.Peer peer = IdleSocketTest.Peer.open(server.port())) {
            awaitAction(peer, 4); // CONNECTED
            peer.write(0x1, "{\"action\":10,\"channel\":\"stalled\"}".getBytes(StandardCharsets.UTF_8));
            awaitAction(peer, 11); // ATTACHED
            String auth = "Basic " + Base64.getEncoder().encodeToString(TestServer.KEY.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < count; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                                + "/channels/stalled/messages"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m" + i + "\",\"data\":\"" + data + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(201);
            }
            int next = 0;
            while (next < count) {
                IdleSocketTest.Frame f = peer.read();
                assertThat(f).as("the socket stays open; %d of %d messages arrived", next, count).isNotNull();
                if (f.opcode() != 0x1) {
                    continue;
                }
                String text = f.text();
                assertThat(text).as("no error or disconnection").doesNotContain("\"action\":6").doesNotContain("\"action\":9");
                Matcher m = NAME.matcher(text);
                while (m.find()) {
                    assertThat(Integer.parseInt(m.group(1))).as("in order, none lost").isEqualTo(next);
                    next++;
                }
            }
        }
    }

    private static void awaitAction(IdleSocketTest.Peer peer, int action) throws Exception {
        for (IdleSocketTest.Frame f; (f = peer.read()) != null; ) {
            if (f.opcode() == 0x1 && f.text().contains("\"action\":" + action + ",")
                    || f.opcode() == 0x1 && f.text().contains("\"action\":" + action + "}")) {
                return;
            }
        }
        throw new AssertionError("closed before action " + action);
    }
}
