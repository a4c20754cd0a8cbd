package io.rollcall.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A bare WebSocket client speaking the wire protocol by hand, for what no SDK will send: malformed frames,
 * forged fields, retransmits. Frames are decoded into JSON trees whatever the format.
 */
public final class RawSocket implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private final WebSocket ws;
    private final boolean msgpack;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private RawSocket(int port, String query, boolean msgpack) {
        this.msgpack = msgpack;
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + port + "/?format=" + (msgpack ? "msgpack" : "json") + "&" + query), new Listener())
                .join();
    }

    public static RawSocket open(int port, String query, boolean msgpack) {
        return new RawSocket(port, query, msgpack);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(text.toString()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.write(b, 0, b.length);
            if (last) {
                try {
                    frames.add(MSGPACK.readTree(binary.toByteArray()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                binary = new java.io.ByteArrayOutputStream();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }

    /** Sends a message given as a JSON tree, in this socket's format. */
    public void send(JsonNode message) {
        try {
            if (msgpack) {
                ws.sendBinary(ByteBuffer.wrap(MSGPACK.writeValueAsBytes(message)), true).join();
            } else {
                ws.sendText(JSON.writeValueAsString(message), true).join();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(String json) {
        try {
            send(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendRaw(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void sendRawText(String text) {
        ws.sendText(text, true).join();
    }

    /** The next frame with this action, skipping others (heartbeats and the like). */
    public JsonNode next(int action) {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode f = frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && f.path("action").asInt(-1) == action) {
                    return f;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no frame with action " + action + " within " + Await.TIMEOUT);
    }

    /** Any frame that arrives within the wait, or null. */
    public JsonNode poll(long millis) {
        try {
            return frames.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        ws.abort();
    }
}
