package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Scenario 2: memory per idle connection, each attached to one channel with one presence member, measured as
 * heap after a full GC and RSS, from the baseline, at growing connection counts.
 */
final class ConnectionsScenario {
    private final List<Integer> steps;
    private final WireFormat format;
    /** Where to write each server's class histogram at the largest step (what an idle connection holds); null: none. */
    private final Path histograms;

    ConnectionsScenario(List<Integer> steps, WireFormat format) {
        this(steps, format, null);
    }

    ConnectionsScenario(List<Integer> steps, WireFormat format, Path histograms) {
        this.steps = steps;
        this.format = format;
        this.histograms = histograms;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("connections").param("steps", steps).param("format", format.name().toLowerCase());
        for (Target.Kind kind : Target.Kind.values()) {
            try (Target t = kind == Target.Kind.ROLLCALL ? Target.rollcall(serverJar, List.of()) : Target.reference();
                 LoadClient client = new LoadClient(2)) {
                long heap0 = t.heapAfterGcBytes();
                long rss0 = t.rssBytes();
                List<WireConnection> all = new ArrayList<>();
                int have = 0;
                for (int target : steps) {
                    int add = target - have;
                    CountDownLatch acked = new CountDownLatch(add);
                    int base = have;
                    List<WireConnection> more = Swarm.connect(client, t.port(), add, format, i -> Swarm.query("idle" + (base + i)), (i, pm) -> {
                        if (pm.action == Action.ACK) {
                            acked.countDown();
                        }
                    });
                    for (WireConnection c : more) {
                        // Idle members: they enter presence but do not subscribe to it (no presence fan-out).
                        c.send(Swarm.attach("idle", Flags.PRESENCE | Flags.SUBSCRIBE, null));
                        ProtocolMessage enter = ProtocolMessage.of(Action.PRESENCE, "idle");
                        PresenceMessage p = new PresenceMessage();
                        p.action = PresenceMessage.ENTER;
                        p.data = "here";
                        enter.presence = List.of(p);
                        c.sendSequenced(enter);
                    }
                    Swarm.await(acked, "presence entered");
                    all.addAll(more);
                    have = target;
                    long heap = t.heapAfterGcBytes();
                    long rss = t.rssBytes();
                    r.put(kind, "heap_per_connection@" + target, (double) (heap - heap0) / target, "bytes");
                    r.put(kind, "rss_per_connection@" + target, (double) (rss - rss0) / target, "bytes");
                    if (histograms != null && target == steps.get(steps.size() - 1)) {
                        Files.createDirectories(histograms);
                        Files.writeString(histograms.resolve("connections-histogram-" + kind.name().toLowerCase()
                                + "-" + target + ".txt"), t.classHistogram());
                    }
                }
                all.forEach(WireConnection::close);
            }
        }
        return r;
    }
}
