package io.rollcall.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** A real HTTP endpoint receiving webhooks: records every request, and can fail or stall on demand. */
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
    final AtomicInteger refused = new AtomicInteger();
    volatile int failStatus;
    volatile CountDownLatch stall;
    private final HttpServer server;

    Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            CountDownLatch s = stall;
            if (s != null) {
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
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            ObjectMapper m = "application/x-msgpack".equals(type) ? new ObjectMapper(new MessagePackFactory()) : new ObjectMapper();
            accepted.add(new Request(Map.copyOf(ex.getRequestHeaders()), body, m.readTree(body)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    /** Every item received, in arrival order. */
    List<JsonNode> items() {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Request r : accepted) {
            r.json().path("items").forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
