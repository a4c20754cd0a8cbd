package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4: C clients attached to one room, all subscribed to presence, enter at once: time until every
 * client has seen every member enter (C x C deliveries), and the server's peak RSS meanwhile.
 */
final class StormScenario {
    private final int clients;
    private final WireFormat format;

    StormScenario(int clients, WireFormat format) {
        this.clients = clients;
        this.format = format;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("storm").param("clients", clients).param("deliveries", (long) clients * clients)
                .param("format", format.name().toLowerCase());
        for (Target.Kind kind : Target.Kind.values()) {
            try (Target t = kind == Target.Kind.ROLLCALL ? Target.rollcall(serverJar, List.of()) : Target.reference();
                 LoadClient client = new LoadClient(2)) {
                AtomicIntegerArray seen = new AtomicIntegerArray(clients);
                CountDownLatch attached = new CountDownLatch(clients);
                CountDownLatch complete = new CountDownLatch(clients);
                List<WireConnection> all = Swarm.connect(client, t.port(), clients, format, i -> Swarm.query("c" + i), (i, pm) -> {
                    if (pm.action == Action.ATTACHED) {
                        attached.countDown();
                    } else if (pm.action == Action.PRESENCE && pm.presence != null) {
                        int enters = 0;
                        for (PresenceMessage p : pm.presence) {
                            if (p.action == PresenceMessage.ENTER) {
                                enters++;
                            }
                        }
                        if (enters > 0 && seen.addAndGet(i, enters) == clients) {
                            complete.countDown();
                        }
                    }
                });
                for (WireConnection c : all) {
                    c.send(Swarm.attach("storm", 0, null));
                }
                Swarm.await(attached, "attached");
                long rssBefore = t.rssBytes();
                AtomicLong peak = new AtomicLong(rssBefore);
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(t.rssBytes(), Math::max);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                long start = System.nanoTime();
                for (WireConnection c : all) {
                    ProtocolMessage enter = ProtocolMessage.of(Action.PRESENCE, "storm");
                    PresenceMessage p = new PresenceMessage();
                    p.action = PresenceMessage.ENTER;
                    p.data = "hi";
                    enter.presence = List.of(p);
                    c.sendSequenced(enter);
                }
                Swarm.await(complete, "every client saw every enter");
                double ms = (System.nanoTime() - start) / 1e6;
                sampler.interrupt();
                sampler.join();
                r.put(kind, "storm_ms", ms, "ms");
                r.put(kind, "deliveries_per_second", (double) clients * clients / (ms / 1000), "1/s");
                r.put(kind, "peak_rss_growth", (double) (peak.get() - rssBefore) / (1 << 20), "MiB");
                all.forEach(WireConnection::close);
            }
        }
        return r;
    }
}
