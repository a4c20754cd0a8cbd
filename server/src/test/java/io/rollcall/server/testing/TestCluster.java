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
    private UnaryOperator<io.rollcall.server.config.ServerConfig.Builder> config = c -> c;
    /** Between the nodes and Redis when asked for, to make Redis unreachable without stopping it. */
    private final TcpProxy proxy;

    private TestCluster(RedisProcess redis, UnaryOperator<Limits.Builder> limits, boolean viaProxy) {
        this.redis = redis;
        this.limits = limits;
        try {
            this.proxy = viaProxy ? new TcpProxy(redis.port()) : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static TestCluster start(int nodes) {
        return start(nodes, l -> l);
    }

    public static TestCluster start(int nodes, UnaryOperator<Limits.Builder> limits) {
        return start(nodes, limits, false);
    }

    /** With every node reaching Redis through one {@link TcpProxy} ({@link #redisProxy()}). */
    public static TestCluster start(int nodes, UnaryOperator<Limits.Builder> limits, boolean viaProxy) {
        return start(nodes, limits, viaProxy, c -> c);
    }

    /** With settings of every node's own beyond the limits (webhook rules, say). */
    public static TestCluster start(int nodes, UnaryOperator<Limits.Builder> limits, boolean viaProxy,
                                    UnaryOperator<io.rollcall.server.config.ServerConfig.Builder> config) {
        return start(nodes, limits, viaProxy, config, new String[0]);
    }

    /** With extra redis.conf lines for its Redis (persistence, say). */
    public static TestCluster start(int nodes, UnaryOperator<Limits.Builder> limits, boolean viaProxy,
                                    UnaryOperator<io.rollcall.server.config.ServerConfig.Builder> config, String... redisSettings) {
        TestCluster c = new TestCluster(RedisProcess.start(redisSettings), limits, viaProxy);
        c.config = config;
        for (int i = 0; i < nodes; i++) {
            c.addNode();
        }
        return c;
    }

    public TestServer addNode() {
        TestServer node = TestServer.start(l -> limits.apply(l.nodeLease(LEASE).redisReconnectMax(Duration.ofMillis(200))),
                c -> config.apply(c.engine("redis").redisUri(proxy == null ? redis.uri() : "redis://127.0.0.1:" + proxy.port())));
        nodes.add(node);
        return node;
    }

    /** Stops one node the way an operator would (it is told nothing about Redis being there or not). */
    public void stopNode(int i) {
        nodes.get(i).close();
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

    public TcpProxy redisProxy() {
        return proxy;
    }

    /**
     * Redis goes away: stopped (it comes back empty) when there is no proxy, else unreachable through the
     * proxy (its data kept); returns once nodes 0 and 1 noticed.
     */
    public void loseRedis() {
        if (proxy == null) {
            redis.down();
        } else {
            proxy.refuse(true);
            proxy.cut();
        }
        io.rollcall.server.testing.Await.until(() -> metric(0, "rollcall_redis_connected") == 0
                && metric(1, "rollcall_redis_connected") == 0, "nodes 0 and 1 notice Redis is gone");
    }

    /** Redis is back (see {@link #loseRedis}). */
    public void regainRedis() {
        if (proxy == null) {
            redis.up();
        } else {
            proxy.refuse(false);
        }
    }

    /** A counter or gauge of one node's /metrics, summed over its series (0 when absent). */
    public double metric(int node, String name) {
        String scrape = nodes.get(node).rollcall().node().telemetry().scrape();
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public void close() {
        for (TestServer n : nodes) {
            try {
                n.close(); // idempotent for a node stopped already
            } catch (RuntimeException ignored) {
                // closing the rest matters more
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        redis.close();
    }
}
