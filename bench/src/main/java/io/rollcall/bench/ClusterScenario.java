package io.rollcall.bench;

import java.util.List;

/**
 * Cross-node fan-out: the fan-out scenario against two Rollcall nodes sharing a real Redis (subscribers split
 * evenly, the publisher on the first node, so half the deliveries cross Redis), beside the same load on one
 * node with the in-memory engine. Both columns are Rollcall; the ratio is what the cluster costs.
 */
final class ClusterScenario {
    private final FanoutScenario.Options o;

    ClusterScenario(FanoutScenario.Options o) {
        this.o = o;
    }

    Result run(String serverJar) throws Exception {
        Result r = new Result("cluster-fanout").columns("2 nodes", "1 node")
                .param("subscribers", o.subscribers()).param("seconds", o.seconds()).param("window", o.window())
                .param("latencyDeliveriesPerSecond", o.latencyRate()).param("format", o.format().name().toLowerCase());
        FanoutScenario fanout = new FanoutScenario(o);
        try (ScratchRedis redis = new ScratchRedis();
             Target a = Target.rollcall(serverJar, List.of(), redis.serveArgs());
             Target b = Target.rollcall(serverJar, List.of(), redis.serveArgs());
             LoadClient client = new LoadClient(2)) {
            fanout.measure(Target.Kind.ROLLCALL, List.of(a.port(), b.port()), client, r);
        }
        try (Target single = Target.rollcall(serverJar, List.of()); LoadClient client = new LoadClient(2)) {
            fanout.measure(Target.Kind.REFERENCE, List.of(single.port()), client, r);
        }
        return r;
    }
}
