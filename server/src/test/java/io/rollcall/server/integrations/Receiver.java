package io.rollcall.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A real HTTP endpoint receiving webhooks: records every request (every attempt, accepted or not), and can
 * fail, stall, or go down and come back on the same port on demand.
 */
final class Receiver implements AutoCloseable {
    record Request(Map<String, List<String>> headers, byte[] body, JsonNode json) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    final List<Request> accepted = new CopyOnWriteArrayList<>();
    /** Every request that reached the receiver, whatever it answered. */
    final List<Request> attempts = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger stalled = new AtomicInteger();
    volatile int failStatus;
    /** Every request waits for it while set. */
    volatile CountDownLatch stall;
    /** Requests whose body this matches wait for {@link #stall} (null: all). */
    volatile Predicate<JsonNode> stallOnly;
    private HttpServer server;
    private ExecutorService executor;

    private int boundPort;

    Receiver(int port) throws IOException {
        upOn(port);
    }

    private synchronized void upOn(int p) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            ObjectMapper m = "application/x-msgpack".equals(type) ? new ObjectMapper(new MessagePackFactory()) : new ObjectMapper();
            Request req = new Request(Map.copyOf(ex.getRequestHeaders()), body, m.readTree(body));
            attempts.add(req);
            CountDownLatch s = stall;
            Predicate<JsonNode> only = stallOnly;
            if (s != null && (only == null || only.test(req.json()))) {
                stalled.incrementAndGet();
                try {
                    s.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = failStatus;
            if (status != 0) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(status, -1);
                ex.close();
                return;
            }
            accepted.add(req);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
        boundPort = server.getAddress().getPort();
    }

    /** Goes down (connections refused) until {@link #restart}. */
    synchronized void down() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Comes back on the same port. */
    synchronized void restart() {
        if (server == null) {
            try {
                upOn(boundPort);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    int port() {
        return boundPort;
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    /** Every item received, in arrival order. */
    List<JsonNode> items() {
        return items(accepted);
    }

    static List<JsonNode> items(List<Request> requests) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Request r : requests) {
            r.json().path("items").forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        CountDownLatch s = stall;
        if (s != null) {
            s.countDown();
        }
        down();
    }
}
