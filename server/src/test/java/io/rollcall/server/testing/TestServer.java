package io.rollcall.server.testing;

import io.rollcall.server.Rollcall;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.config.Limits;
import io.rollcall.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An in-process Rollcall on a free port, with test keys and delays short enough for tests. With the system
 * property {@code rollcall.test.engine=redis} it runs on the Redis engine, with a redis-server of its own:
 * that is how the same suite runs against both engines.
 */
public final class TestServer implements AutoCloseable {
    /** The engine the suite runs against: {@code memory} (default) or {@code redis}. */
    public static final String ENGINE = System.getProperty("rollcall.test.engine", "memory");
    public static final String APP = "testapp";
    public static final String KEY = APP + ".all:secretsecret";
    /** Subscribe-only on everything; publish only on "pub:*". */
    public static final String LIMITED_KEY = APP + ".limited:limitedsecret";
    public static final String LIMITED_CAPABILITY = "{\"*\":[\"subscribe\"],\"pub:*\":[\"publish\",\"subscribe\"]}";
    public static final String OTHER_APP_KEY = "otherapp.k:othersecret";

    private final Rollcall server;
    private final RedisProcess redis;

    private TestServer(Rollcall server, RedisProcess redis) {
        this.server = server;
        this.redis = redis;
    }

    public static TestServer start() {
        return start(l -> l);
    }

    public static TestServer start(UnaryOperator<Limits.Builder> limits) {
        return start(limits, c -> c);
    }

    /** With settings beyond the limits, e.g. the redis engine. */
    public static TestServer start(UnaryOperator<Limits.Builder> limits, UnaryOperator<ServerConfig.Builder> config) {
        List<ApiKey> keys = new ArrayList<>();
        keys.add(ApiKey.parse(KEY));
        keys.add(ApiKey.parse(LIMITED_KEY, LIMITED_CAPABILITY));
        keys.add(ApiKey.parse(OTHER_APP_KEY));
        Limits.Builder lb = Limits.builder()
                .presenceGrace(Duration.ofSeconds(2))
                .connectionStateTtl(Duration.ofSeconds(10))
                .occupancyInterval(Duration.ofMillis(200))
                .maxIdleInterval(Duration.ofSeconds(5));
        ServerConfig.Builder b = ServerConfig.builder().port(0).keys(keys).limits(limits.apply(lb).build());
        RedisProcess redis = null;
        if (ENGINE.equals("redis")) {
            redis = RedisProcess.start();
            b.engine("redis").redisUri(redis.uri());
        }
        try {
            return new TestServer(Rollcall.start(config.apply(b).build()), redis);
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public Rollcall rollcall() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        if (redis != null) {
            redis.close();
        }
    }
}
