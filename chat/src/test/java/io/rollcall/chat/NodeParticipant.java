package io.rollcall.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real @ably/chat client in a Node process (a script of interop/js/scripts), talking JSON lines: what it
 * prints is collected, what {@link #send} writes goes to its stdin. Closing stdin makes it leave and exit.
 */
final class NodeParticipant implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Process node;
    final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final List<String> raw = new CopyOnWriteArrayList<>();

    NodeParticipant(String script, int port, Map<String, String> env) throws IOException {
        File dir = new File("../interop/js").getCanonicalFile();
        ProcessBuilder pb = new ProcessBuilder("node", "scripts/" + script).directory(dir).redirectErrorStream(true);
        pb.environment().put("ROLLCALL_PORT", Integer.toString(port));
        pb.environment().put("ROLLCALL_KEY", TestServer.KEY);
        pb.environment().putAll(env);
        node = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    raw.add(line);
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException notJson) {
                        // diagnostics from node: kept in raw for failure messages
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** The first line matching, waiting for it. */
    JsonNode await(Predicate<JsonNode> match, String what) {
        return Await.value(() -> lines.stream().filter(match).findFirst().orElse(null), n -> n != null,
                what + "; node output so far: " + raw);
    }

    /** Lines of this kind. */
    List<JsonNode> kind(String kind) {
        return lines.stream().filter(n -> n.path("kind").asText().equals(kind)).toList();
    }

    void send(Object line) throws IOException {
        OutputStream in = node.getOutputStream();
        in.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Runs a command of a script that answers {@code {kind: "done", id, result | error}} (mixed-chat.mjs) and
     * returns its result; fails the test with the script's error.
     */
    JsonNode call(String op, Map<String, ?> args) throws IOException {
        String id = op + "-" + ids.incrementAndGet();
        Map<String, Object> line = new java.util.LinkedHashMap<>(args);
        line.put("op", op);
        line.put("id", id);
        send(line);
        JsonNode done = await(n -> n.path("kind").asText().equals("done") && n.path("id").asText().equals(id), op + " done");
        if (done.has("error")) {
            throw new AssertionError("@ably/chat " + op + " failed: " + done.get("error"));
        }
        return done.path("result");
    }

    private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

    /** Closes stdin and waits for the participant to leave and exit. */
    boolean finish() throws Exception {
        node.getOutputStream().close();
        return node.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        node.destroyForcibly();
    }
}
