package io.rollcall.server;

import io.rollcall.server.auth.Authenticator;
import io.rollcall.server.auth.Keyring;
import io.rollcall.server.config.ServerConfig;
import io.rollcall.server.config.Limits;
import io.rollcall.server.core.Broker;
import io.rollcall.server.core.Node;
import io.rollcall.server.engine.redis.RedisBroker;
import io.rollcall.server.engine.redis.RedisSettings;
import io.rollcall.server.engine.memory.MemoryBroker;
import io.rollcall.server.integrations.Webhooks;
import io.rollcall.server.metrics.Telemetry;
import io.rollcall.server.transport.HttpServer;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * A running Rollcall server: wires auth, the engine, the core and the transport from a {@link ServerConfig}.
 * Embeddable (tests start it in-process); {@link #close()} shuts it down gracefully.
 */
public final class Rollcall implements AutoCloseable {
    private static final java.time.Duration WEBHOOK_RELOAD = java.time.Duration.ofSeconds(1);
    private final Node node;
    private final HttpServer http;
    private final Webhooks webhooks;
    private final InetSocketAddress address;

    private Rollcall(ServerConfig config, Clock clock) throws InterruptedException {
        Keyring keyring = new Keyring(config.keys());
        Authenticator auth = new Authenticator(keyring, clock);
        String nodeId = Node.newNodeId();
        Telemetry telemetry = Telemetry.prometheus();
        this.node = new Node(config.limits(), clock, auth, broker(config, nodeId, clock, telemetry), telemetry);
        for (io.rollcall.server.auth.ApiKey k : config.keys()) {
            node.app(k.appId()); // every configured app's series exist (at zero) from the start
        }
        // Integrations listen to core events; with a config file, its webhook rules are re-read when it changes.
        if (!config.webhooks().isEmpty() || config.configFile() != null) {
            this.webhooks = new Webhooks(config.webhooks(), keyring, node.broker().outbox(), telemetry.registry(),
                    config.configFile(), WEBHOOK_RELOAD);
            node.observe(webhooks);
        } else {
            this.webhooks = null;
        }
        Webhooks hooks = webhooks;
        this.http = new HttpServer(node, config.eventLoops(), config.console(),
                app -> hooks == null ? java.util.List.of() : hooks.stats(app))
                .sandbox(new io.rollcall.server.sandbox.Sandbox(node, keyring), config.sandbox());
        this.address = http.bind(config.host(), config.port());
    }

    private static Broker broker(ServerConfig config, String nodeId, Clock clock, Telemetry telemetry) {
        if (config.engine().equals("redis")) {
            Limits l = config.limits();
            return new RedisBroker(new RedisSettings(config.redisUri(), l.nodeLease(), l.redisCommandQueue(),
                    l.redisCommandTimeout(), l.redisReconnectMax()), nodeId, clock, telemetry.registry(),
                    l.historyRetention().toMillis(), l.historyMaxMessages(), l.webhookQueueItems(), l.webhookSpoolWrites());
        }
        Limits l = config.limits();
        return new MemoryBroker(nodeId, clock, new io.rollcall.server.engine.memory.MemoryHistory(clock,
                l.historyRetention().toMillis(), l.historyMaxMessages()), l.webhookQueueItems());
    }

    public static Rollcall start(ServerConfig config) throws InterruptedException {
        return new Rollcall(config, Clock.systemUTC());
    }

    public static Rollcall start(ServerConfig config, Clock clock) throws InterruptedException {
        return new Rollcall(config, clock);
    }

    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    public Node node() {
        return node;
    }

    @Override
    public void close() {
        http.close();
        if (webhooks != null) {
            webhooks.close();
        }
        node.telemetry().close();
    }
}
