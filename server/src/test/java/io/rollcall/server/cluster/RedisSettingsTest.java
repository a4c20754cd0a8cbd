package io.rollcall.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.Message;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.RedisProcess;
import io.rollcall.server.testing.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The Redis URI's password and database index are honoured; a wrong one stops the server at start, clearly. */
class RedisSettingsTest {
    @Test
    void passwordAndDatabaseFromTheUri() throws Exception {
        try (RedisProcess redis = RedisProcess.start("requirepass s3cret-pw")) {
            String uri = "redis://:s3cret-pw@127.0.0.1:" + redis.port() + "/3";
            try (TestServer a = TestServer.start(l -> l, c -> c.redisUri(uri).engine("redis"));
                 TestServer b = TestServer.start(l -> l, c -> c.redisUri(uri).engine("redis"))) {
                AblyRealtime sub = AblyJava.connected(AblyJava.realtime(b.port(), TestServer.KEY, true, o -> o.clientId = "s"));
                AblyRealtime pub = AblyJava.connected(AblyJava.realtime(a.port(), TestServer.KEY, false, o -> o.clientId = "p"));
                try {
                    List<Message> got = new CopyOnWriteArrayList<>();
                    Channel ch = sub.channels.get("settings");
                    Completion attached = new Completion();
                    ch.attach(attached);
                    attached.ok();
                    ch.subscribe(got::add);
                    Completion enter = new Completion();
                    ch.presence.enter("x", enter);
                    enter.ok();
                    pub.channels.get("settings").publish("n", "across", null);
                    Await.until(() -> got.size() == 1, "a message across nodes through a password-protected Redis");
                    RedisClient client = RedisClient.create(uri);
                    try (StatefulRedisConnection<String, String> c = client.connect()) {
                        assertThat(c.sync().keys("rc:*")).contains("rc:nodes", "rc:p:testapp:settings");
                        c.sync().select(0);
                        assertThat(c.sync().keys("rc:*")).isEmpty();
                    } finally {
                        client.shutdown();
                    }
                } finally {
                    sub.close();
                    pub.close();
                }
            }
            String wrong = "redis://:not-it@127.0.0.1:" + redis.port();
            assertThatThrownBy(() -> TestServer.start(l -> l, c -> c.redisUri(wrong).engine("redis")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot connect to Redis")
                    .hasMessageNotContaining("not-it");
        }
    }
}
