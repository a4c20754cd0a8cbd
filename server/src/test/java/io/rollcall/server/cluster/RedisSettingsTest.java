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

/**
 * The Redis URI's password and database index are honoured, a wrong one stops the server at start, clearly;
 * a Sentinel URI finds the master.
 */
class RedisSettingsTest {
    static void messageCrossesNodes(TestServer a, TestServer b, String channel) {
        AblyRealtime sub = AblyJava.connected(AblyJava.realtime(b.port(), TestServer.KEY, true, o -> o.clientId = "s"));
        AblyRealtime pub = AblyJava.connected(AblyJava.realtime(a.port(), TestServer.KEY, false, o -> o.clientId = "p"));
        try {
            List<Message> got = new CopyOnWriteArrayList<>();
            AblyJava.attached(sub, channel).subscribe(got::add);
            pub.channels.get(channel).publish("n", "across", null);
            Await.until(() -> got.size() == 1, "a message across nodes");
        } catch (io.ably.lib.types.AblyException e) {
            throw new AssertionError(e);
        } finally {
            sub.close();
            pub.close();
        }
    }

    @Test
    void tlsWithARedissUri(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // A self-signed certificate for the Redis server; the nodes are told not to verify it.
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        int tlsPort = RedisProcess.freePort();
        try (RedisProcess redis = RedisProcess.start("port 0", "tls-port " + tlsPort,
                "tls-cert-file " + dir.resolve("cert.pem"), "tls-key-file " + dir.resolve("key.pem"),
                "tls-ca-cert-file " + dir.resolve("cert.pem"), "tls-auth-clients no")) {
            String uri = "rediss://127.0.0.1:" + tlsPort + "?verifyPeer=NONE";
            try (TestServer a = TestServer.start(l -> l, c -> c.redisUri(uri).engine("redis"));
                 TestServer b = TestServer.start(l -> l, c -> c.redisUri(uri).engine("redis"))) {
                messageCrossesNodes(a, b, "over-tls");
            }
            // The same server refuses a client that does not speak TLS.
            String plain = "redis://127.0.0.1:" + tlsPort;
            assertThatThrownBy(() -> TestServer.start(l -> l.redisCommandTimeout(java.time.Duration.ofSeconds(2)),
                    c -> c.redisUri(plain).engine("redis"))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aSentinelUriFindsTheMaster() throws Exception {
        try (RedisProcess master = RedisProcess.start()) {
            int sentinelPort = RedisProcess.freePort();
            redis.embedded.RedisSentinel sentinel = redis.embedded.RedisSentinel.newRedisSentinel().bind("127.0.0.1")
                    .port(sentinelPort).masterPort(master.port()).masterName("rollcall").quorumSize(1).build();
            sentinel.start();
            try {
                String uri = "redis-sentinel://127.0.0.1:" + sentinelPort + "/0#rollcall";
                try (TestServer a = TestServer.start(l -> l, c -> c.redisUri(uri).engine("redis"));
                     TestServer b = TestServer.start(l -> l, c -> c.redisUri(uri).engine("redis"))) {
                    messageCrossesNodes(a, b, "via-sentinel");
                }
            } finally {
                sentinel.stop();
            }
        }
    }
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
