package io.rollcall.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.Rollcall;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.config.Limits;
import io.rollcall.server.config.ServerConfig;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.Outbox;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RedisProcess;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbox is bounded on both engines: past the {@code webhookQueueItems} limit per rule (split over its
 * {@link Outbox#SHARDS} shards) the oldest waiting item of the shard is dropped and counted, the newest kept.
 */
class OutboxBoundTest {
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static PresenceMessage update(int i) {
        PresenceMessage m = new PresenceMessage();
        m.action = PresenceMessage.UPDATE;
        m.clientId = "c";
        m.connectionId = "conn";
        m.id = "conn:" + i + ":0";
        m.timestamp = i;
        m.data = Integer.toString(i);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "redis"})
    void theOldestWaitingItemIsDroppedPastTheBound(String engine) throws Exception {
        int queueItems = 8_000;
        ServerConfig.Builder b = ServerConfig.builder().port(0).keys(List.of(ApiKey.parse(TestServer.KEY)))
                .limits(Limits.builder().webhookQueueItems(queueItems).build());
        if (engine.equals("redis")) {
            RedisProcess redis = RedisProcess.start();
            open.add(redis);
            b.engine("redis").redisUri(redis.uri());
        }
        Rollcall r = Rollcall.start(b.build());
        open.add(r);
        Outbox outbox = r.node().broker().outbox();
        AtomicInteger dropped = new AtomicInteger();
        outbox.onDropped(rule -> dropped.incrementAndGet());
        outbox.streams(List.of(new Outbox.Stream("bound", Outbox.Source.PRESENCE, (app, ch) -> true)));
        ChannelKey channel = new ChannelKey(TestServer.APP, "bounded");
        int shard = Outbox.shard(channel);
        int perShard = Outbox.perShard(queueItems);
        long start = System.nanoTime();
        for (int i = 0; i < perShard + 3; i++) {
            outbox.presence(channel, List.of(update(i)));
        }
        Await.until(() -> dropped.get() == 3, "three dropped");
        System.out.println(engine + ": " + (perShard + 3) + " items recorded in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        Outbox.Claim claim = Await.get(outbox.claim("bound", shard, 2));
        assertThat(claim.depth()).isEqualTo(perShard);
        // The three oldest went; the rest wait in order.
        assertThat(claim.items()).extracting(i -> i.presence().get(0).data).containsExactly("3", "4");
        assertThat(claim.items().get(0).serial()).isLessThan(claim.items().get(1).serial());
    }
}
