package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Scenario 3: time for a late joiner to receive the SYNC of an M-member channel, in JSON and msgpack. */
final class SyncScenario {
    private static final int MEMBERS_PER_MESSAGE = 100;
    private static final int ROUNDS = 9;
    /** Joins before the measured ones, unreported: both servers' JIT reaches the SYNC path first. */
    private static final int WARMUP = 3;
    private final int members;

    SyncScenario(int members) {
        this.members = members;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("sync").param("members", members).param("rounds (median reported)", ROUNDS).param("warmup joins", WARMUP);
        // The load client decodes every page: it warms up unmeasured, on a reference, before either server is
        // measured. Otherwise the first server measured (Rollcall) meets a colder client than the second.
        try (Target t = Target.reference(); LoadClient client = new LoadClient(2)) {
            populate(t, client);
            for (WireFormat f : WireFormat.values()) {
                for (int round = 0; round < WARMUP + ROUNDS; round++) {
                    joinOnce(t, client, f);
                }
            }
        }
        for (Target.Kind kind : Target.Kind.values()) {
            try (Target t = kind == Target.Kind.ROLLCALL ? Target.rollcall(serverJar, List.of()) : Target.reference();
                 LoadClient client = new LoadClient(2)) {
                populate(t, client);
                for (WireFormat f : WireFormat.values()) {
                    for (int round = 0; round < WARMUP; round++) {
                        joinOnce(t, client, f);
                    }
                    List<Double> times = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        times.add(joinOnce(t, client, f));
                    }
                    times.sort(null);
                    r.put(kind, "sync_ms_" + f.name().toLowerCase(), times.get(ROUNDS / 2), "ms");
                }
            }
        }
        return r;
    }

    /** One wildcard connection enters every member, a hundred per message. */
    private void populate(Target t, LoadClient client) throws Exception {
        int messages = (members + MEMBERS_PER_MESSAGE - 1) / MEMBERS_PER_MESSAGE;
        CountDownLatch acked = new CountDownLatch(messages);
        CountDownLatch attached = new CountDownLatch(1);
        WireConnection c = Swarm.connect(client, t.port(), 1, WireFormat.MSGPACK, i -> Swarm.query(null), (i, pm) -> {
            if (pm.action == Action.ACK) {
                acked.countDown();
            } else if (pm.action == Action.ATTACHED) {
                attached.countDown();
            }
        }).get(0);
        c.send(Swarm.attach("room", Flags.PRESENCE, null));
        Swarm.await(attached, "attached");
        for (int m = 0; m < messages; m++) {
            ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, "room");
            pm.presence = new ArrayList<>();
            for (int k = m * MEMBERS_PER_MESSAGE; k < Math.min(members, (m + 1) * MEMBERS_PER_MESSAGE); k++) {
                PresenceMessage p = new PresenceMessage();
                p.action = PresenceMessage.ENTER;
                p.clientId = "member-" + k;
                p.data = "{\"status\":\"online\",\"n\":" + k + "}";
                p.encoding = "json";
                pm.presence.add(p);
            }
            c.sendSequenced(pm);
        }
        Swarm.await(acked, "members entered");
    }

    private double joinOnce(Target t, LoadClient client, WireFormat f) throws Exception {
        AtomicInteger received = new AtomicInteger();
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] start = new long[1];
        WireConnection joiner = Swarm.connect(client, t.port(), 1, f, i -> Swarm.query("joiner"), (i, pm) -> {
            if (pm.action == Action.SYNC) {
                received.addAndGet(pm.presence == null ? 0 : pm.presence.size());
                if (pm.channelSerial == null || pm.channelSerial.endsWith(":")) {
                    done.complete(System.nanoTime());
                }
            }
        }).get(0);
        start[0] = System.nanoTime();
        joiner.send(Swarm.attach("room", 0, null));
        long end = done.get(60, TimeUnit.SECONDS);
        joiner.close();
        if (received.get() != members) {
            throw new IllegalStateException("sync delivered " + received.get() + " of " + members + " members");
        }
        return (end - start[0]) / 1e6;
    }
}
