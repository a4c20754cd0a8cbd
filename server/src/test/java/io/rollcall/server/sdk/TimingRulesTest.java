package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Delay-driven behaviour, with the delays configured short. Lower bounds only: a server cannot be early. */
class TimingRulesTest {
    static String jwt(long ttlMs) {
        String keyName = TestServer.KEY.substring(0, TestServer.KEY.indexOf(':'));
        String secret = TestServer.KEY.substring(TestServer.KEY.indexOf(':') + 1);
        return JWT.create().withKeyId(keyName).withIssuedAt(new Date())
                .withExpiresAt(new Date(System.currentTimeMillis() + ttlMs))
                .withClaim("x-ably-clientId", "short").sign(Algorithm.HMAC256(secret));
    }

    @Test
    void anIdleServerSendsHeartbeatsWithinMaxIdleInterval() {
        try (TestServer server = TestServer.start(l -> l.maxIdleInterval(Duration.ofMillis(300)));
             RawSocket s = RawSocket.open(server.port(), "key=" + TestServer.KEY, false)) {
            JsonNode connected = s.next(4);
            assertThat(connected.path("connectionDetails").path("maxIdleInterval").asLong()).isEqualTo(300);
            for (int i = 0; i < 3; i++) {
                assertThat(s.next(0).has("id")).isFalse();
            }
        }
    }

    @Test
    void aTokenNearExpiryIsAskedToRenewThenDisconnectedWith40142() {
        try (TestServer server = TestServer.start(l -> l.tokenRenewalNotice(Duration.ofMillis(800)))) {
            // exp is in whole seconds: pick one 2-3 s ahead and compare against exactly that instant. Only once the
            // server is up: a server on the Redis engine can take seconds to start on a loaded machine.
            long expMs = (System.currentTimeMillis() / 1000 + 3) * 1000;
            try (RawSocket s = RawSocket.open(server.port(), "access_token=" + jwtExpiringAt(expMs), false)) {
                s.next(4);
                s.next(17);
                JsonNode disconnected = s.next(6);
                long now = System.currentTimeMillis();
                assertThat(disconnected.path("error").path("code").asInt()).isEqualTo(40142);
                assertThat(disconnected.path("error").path("statusCode").asInt()).isEqualTo(401);
                assertThat(now).as("not before the token expired").isGreaterThanOrEqualTo(expMs);
                assertThat(Await.get(s.closeCode)).isEqualTo(1000);
            }
        }
    }

    static String jwtExpiringAt(long expMs) {
        String keyName = TestServer.KEY.substring(0, TestServer.KEY.indexOf(':'));
        String secret = TestServer.KEY.substring(TestServer.KEY.indexOf(':') + 1);
        return JWT.create().withKeyId(keyName).withIssuedAt(new Date())
                .withExpiresAt(new Date(expMs)).withClaim("x-ably-clientId", "short").sign(Algorithm.HMAC256(secret));
    }

    @Test
    void inBandAuthRenewsWithoutAGap() {
        try (TestServer server = TestServer.start(l -> l.tokenRenewalNotice(Duration.ofMillis(800)));
             RawSocket s = RawSocket.open(server.port(), "access_token=" + jwt(2500), true)) {
            String id = s.next(4).path("connectionId").asText();
            s.next(17);
            s.send("{\"action\":17,\"auth\":{\"accessToken\":\"" + jwt(3_600_000) + "\"}}");
            JsonNode again = s.next(4);
            assertThat(again.path("connectionId").asText()).isEqualTo(id);
            assertThat(again.path("connectionDetails").path("clientId").asText()).isEqualTo("short");
            s.send("{\"action\":0,\"id\":\"alive-after-expiry\"}");
            // Past the first token's expiry the connection is still up.
            assertThat(s.next(0).path("id").asText()).isEqualTo("alive-after-expiry");
        }
    }

    /** Re-auth with credentials that cannot carry the connection's identity on is an ERROR, not a crash. */
    @Test
    void reauthWithAnIncompatibleTokenIsAFatalError() {
        String keyName = TestServer.KEY.substring(0, TestServer.KEY.indexOf(':'));
        String secret = TestServer.KEY.substring(TestServer.KEY.indexOf(':') + 1);
        String anonymous = JWT.create().withKeyId(keyName).withIssuedAt(new Date())
                .withExpiresAt(new Date(System.currentTimeMillis() + 3_600_000)).sign(Algorithm.HMAC256(secret));
        try (TestServer server = TestServer.start();
             RawSocket s = RawSocket.open(server.port(), "access_token=" + jwt(3_600_000), false)) {
            s.next(4);
            s.send("{\"action\":17,\"auth\":{\"accessToken\":\"" + anonymous + "\"}}");
            assertThat(s.next(9).path("error").path("code").asInt()).isEqualTo(40102);
            assertThat(Await.get(s.closeCode)).isEqualTo(1000);
        }
    }

    @Test
    void zeroFlipsGoOutAtOnceAndOtherChangesWaitForTheInterval() throws Exception {
        long interval = 1500;
        try (TestServer server = TestServer.start(l -> l.occupancyInterval(Duration.ofMillis(interval)));
             RawSocket watcher = RawSocket.open(server.port(), "key=" + TestServer.KEY, false)) {
            watcher.next(4);
            // The watcher subscribes only, so publishers starts at zero.
            watcher.send("{\"action\":10,\"channel\":\"flip\",\"flags\":262144,\"params\":{\"occupancy\":\"metrics\"}}");
            watcher.next(11);
            watcher.next(15);
            RawSocket p1 = RawSocket.open(server.port(), "key=" + TestServer.KEY, false);
            p1.next(4);
            long flipAt = System.nanoTime();
            p1.send("{\"action\":10,\"channel\":\"flip\",\"flags\":131072}");
            JsonNode flip = watcher.next(15);
            assertThat(metrics(flip).path("publishers").asInt()).isEqualTo(1);
            RawSocket p2 = RawSocket.open(server.port(), "key=" + TestServer.KEY, false);
            p2.next(4);
            p2.send("{\"action\":10,\"channel\":\"flip\",\"flags\":131072}");
            JsonNode coalesced = watcher.next(15);
            long sinceFlip = (System.nanoTime() - flipAt) / 1_000_000;
            assertThat(metrics(coalesced).path("publishers").asInt()).isEqualTo(2);
            assertThat(sinceFlip).as("the non-flip change waited for the interval").isGreaterThanOrEqualTo(interval - 50);
            p1.close();
            p2.close();
        }
    }

    private static JsonNode metrics(JsonNode messagePm) throws Exception {
        return RawSocket.JSON.readTree(messagePm.path("messages").get(0).path("data").asText()).path("metrics");
    }
}
