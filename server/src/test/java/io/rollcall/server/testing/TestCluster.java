package io.rollcall.server.testing;

import io.rollcall.server.config.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real Redis and several in-process Rollcall nodes on the redis engine, with short leases for tests. */
public final class TestCluster implements AutoCloseable {
    public static final Duration LEASE = Duration.ofMillis(1500);
    private final RedisProcess redis;
    private final List<TestServer> nodes = new ArrayList<>();
    private final UnaryOperator<Limits.Builder> limits;

    private TestCluster(RedisProcess redis, UnaryOperator<Limits.Builder> limits) {
        this.redis = redis;
        this.limits = limits;
    }

    public static TestCluster start(int nodes) {
        return start(nodes, l -> l);
    }

    public static TestCluster start(int nodes, UnaryOperator<Limits.Builder> limits) {
        TestCluster c = new TestCluster(RedisProcess.start(), limits);
        for (int i = 0; i < nodes; i++) {
            c.addNode();
        }
        return c;
    }

    public TestServer addNode() {
        TestServer node = TestServer.start(l -> limits.apply(l.nodeLease(LEASE).redisReconnectMax(Duration.ofMillis(200))),
                c -> c.engine("redis").redisUri(redis.uri()));
        nodes.add(node);
        return node;
    }

    public TestServer node(int i) {
        return nodes.get(i);
    }

    public int port(int i) {
        return nodes.get(i).port();
    }

    public RedisProcess redis() {
        return redis;
    }

    @Override
    public void close() {
        for (TestServer n : nodes) {
            try {
                n.close();
            } catch (RuntimeException ignored) {
                // closing the rest matters more
            }
        }
        redis.close();
    }
}
