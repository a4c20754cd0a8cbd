package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Opens and attaches many connections at once, a bounded number of handshakes in flight. */
final class Swarm {
    private static final int IN_FLIGHT = 256;

    private Swarm() {}

    /** A per-connection frame handler; {@code attached} must be counted down on ATTACHED. */
    interface Handler {
        void onMessage(int index, ProtocolMessage pm);
    }

    static List<WireConnection> connect(LoadClient client, int port, int n, WireFormat format,
                                        IntFunction<String> query, Handler handler) throws Exception {
        List<CompletableFuture<WireConnection>> futures = new ArrayList<>(n);
        Semaphore permits = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < n; i++) {
            permits.acquire();
            int index = i;
            CompletableFuture<WireConnection> f = client.connect(port, query.apply(i), format, pm -> handler.onMessage(index, pm));
            f.whenComplete((c, t) -> permits.release());
            futures.add(f);
        }
        List<WireConnection> out = new ArrayList<>(n);
        for (CompletableFuture<WireConnection> f : futures) {
            out.add(f.get(120, TimeUnit.SECONDS));
        }
        return out;
    }

    static ProtocolMessage attach(String channel, int flags, Map<String, String> params) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, channel);
        pm.flags = flags;
        pm.params = params;
        return pm;
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("timed out waiting for " + what + " (" + latch.getCount() + " left)");
        }
    }

    static String query(String clientId) {
        return "key=" + Target.KEY + (clientId == null ? "" : "&clientId=" + clientId);
    }
}
