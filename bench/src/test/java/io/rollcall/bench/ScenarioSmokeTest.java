package io.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.protocol.WireFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every scenario at a tiny size, against real server processes, so the benchmark keeps working. Timings are
 * printed, never asserted; correctness figures (loss, member counts, completion) are.
 */
class ScenarioSmokeTest {
    static final String SERVER_JAR = System.getProperty("rollcall.server.jar");

    @Test
    void fanout() throws Exception {
        Result r = new FanoutScenario(new FanoutScenario.Options(20, 0.5, 10, 2000, WireFormat.JSON)).run(SERVER_JAR);
        assertEveryMessageOnce(r);
        // The earlier reference, beside the two, delivers everything too.
        assertThat(r.thirdColumn).isEqualTo(FanoutScenario.BROADCAST_COLUMN);
        assertThat(r.third.get("lost_or_duplicated")).isZero();
        assertThat(r.rollcall.get("server_cpu_per_delivery")).isPositive();
    }

    @Test
    void fanoutMsgpackAlternatingRounds() throws Exception {
        // More subscribers than one hand-over of a fan-out carries to an event loop (OutboundTurn.CHUNK), on
        // each of the two loops: every message still reaches every subscriber once, in order.
        Result r = new FanoutScenario(new FanoutScenario.Options(600, 0.3, 10, 6000, WireFormat.MSGPACK), 2, false).run(SERVER_JAR);
        assertEveryMessageOnce(r);
        assertThat(r.reference.get("latency_lost")).isZero();
        assertThat(r.thirdColumn).isNull();
        assertThat(r.parameters).containsKeys("spread_rollcall", "spread_reference");
    }

    @Test
    void fanoutWithAFullCollectionInEveryServerAfterItsWarmUp() throws Exception {
        // The collection runs through jcmd in each server process between warm-up and measurement; a failed
        // jcmd fails the run.
        Result r = new FanoutScenario(new FanoutScenario.Options(20, 0.3, 10, 2000, WireFormat.MSGPACK), 1, false)
                .collectAfterWarmup(true).run(SERVER_JAR);
        assertEveryMessageOnce(r);
        assertThat(r.parameters).containsEntry("collect_after_warmup", true);
    }

    @Test
    void fanoutProfiledFromTheEndOfItsWarmUp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // --profile-measurement-only: async-profiler attached (jcmd) to each server when its warm-up ends, so no
        // profile holds the WebSocket handshakes, which all come before the warm-up.
        Flame.into(dir, "collapsed");
        Flame.measurementOnly(true);
        try {
            Flame.label("smoke");
            Result r = new FanoutScenario(new FanoutScenario.Options(20, 0.3, 10, 2000, WireFormat.MSGPACK), 1, false).run(SERVER_JAR);
            assertEveryMessageOnce(r);
        } finally {
            Flame.off();
        }
        List<java.nio.file.Path> profiles;
        try (var files = java.nio.file.Files.list(dir)) {
            profiles = files.sorted().toList();
        }
        // Two servers, each warmed up against once unmeasured and then measured once.
        assertThat(profiles).hasSize(4);
        assertThat(profiles.stream().filter(p -> p.getFileName().toString().startsWith("rollcall-smoke-"))).hasSize(2);
        for (java.nio.file.Path p : profiles) {
            String stacks = java.nio.file.Files.readString(p);
            assertThat(stacks).as(p.toString()).isNotBlank().doesNotContain("WebSocketServerHandshaker");
        }
    }

    static void assertEveryMessageOnce(Result r) {
        Report.print(r, System.out);
        assertThat(r.rollcall.get("lost_or_duplicated")).isZero();
        assertThat(r.reference.get("lost_or_duplicated")).isZero();
        assertThat(r.rollcall.get("latency_lost")).isZero();
        assertThat(r.rollcall.get("deliveries_per_second")).isPositive();
    }

    @Test
    void clusterFanout() throws Exception {
        assertEveryMessageOnce(new ClusterScenario(new FanoutScenario.Options(20, 0.5, 10, 2000, WireFormat.MSGPACK)).run(SERVER_JAR));
    }

    @Test
    void scaleOut() throws Exception {
        // Three load processes of at most 12 sockets, over two nodes; the single node gets 24 subscribers.
        Result r = new ScaleOutScenario(new ScaleOutScenario.Options(2, 30, 24, 12, 0.5, 10, 2000, WireFormat.MSGPACK, 256))
                .run(SERVER_JAR);
        assertEveryMessageOnce(r);
        assertThat(r.rollcall.get("load_processes")).isEqualTo(3.0);
        assertThat(r.rollcall).containsEntry("duplicated", 0.0).containsEntry("out_of_order", 0.0).containsEntry("lost", 0.0);
        assertThat(r.reference).containsEntry("lost_or_duplicated", 0.0).containsEntry("latency_lost", 0.0);
    }

    @Test
    void connections() throws Exception {
        Result r = new ConnectionsScenario(List.of(20, 40), WireFormat.MSGPACK).run(SERVER_JAR);
        Report.print(r, System.out);
        assertThat(r.rollcall).containsKeys("heap_per_connection@40", "rss_per_connection@40");
    }

    @Test
    void sync() throws Exception {
        // The scenario itself fails unless every member arrives in the SYNC.
        Result r = new SyncScenario(250).run(SERVER_JAR);
        Report.print(r, System.out);
        assertThat(r.rollcall).containsKeys("sync_ms_json", "sync_ms_msgpack");
    }

    @Test
    void storm() throws Exception {
        Result r = new StormScenario(20, WireFormat.MSGPACK).run(SERVER_JAR);
        Report.print(r, System.out);
        assertThat(r.rollcall.get("storm_ms")).isPositive();
    }

    @Test
    void occupancy() throws Exception {
        Result r = new OccupancyScenario(50, WireFormat.MSGPACK).run(SERVER_JAR);
        Report.print(r, System.out);
        assertThat(r.rollcall.get("events_per_viewer_max")).isBetween(1.0, 10.0);
        assertThat(r.rollcall.get("rest_errors")).isZero();
    }

    @Test
    void reportWritesJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Result r = new Result("x").param("n", 1);
        r.put(Target.Kind.ROLLCALL, "m", 2, "u");
        r.put(Target.Kind.REFERENCE, "m", 4, "u");
        Report.writeJson(List.of(r), dir.resolve("x.json"));
        assertThat(java.nio.file.Files.readString(dir.resolve("x.json"))).contains("\"ratio\"", "0.5");
        Report.writeMarkdown(List.of(r), dir.resolve("x.md"));
        assertThat(java.nio.file.Files.readString(dir.resolve("x.md"))).contains("| m (u) | 2.000 | 4.000 | 0.50 |");
    }

    @Test
    void chat() throws Exception {
        // The scenario itself fails on any unexpected status.
        Result r = new ChatScenario(30, 10).run(SERVER_JAR);
        Report.print(r, System.out);
        assertThat(r.rollcall).containsKeys("send_p50", "history_page_50_p50", "get_one_p50", "reaction_send_p50");
    }
}
