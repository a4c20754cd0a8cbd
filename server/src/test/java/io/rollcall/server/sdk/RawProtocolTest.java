package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire-level behaviour that SDKs rely on but never provoke themselves: edge cases and bad input. */
class RawProtocolTest {
    static TestServer server;
    static final String KEY = "key=" + TestServer.KEY;

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.maxFrameSize(200_000).maxMessageSize(65_536));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawSocket connected(String query, boolean msgpack) {
        RawSocket s = RawSocket.open(server.port(), query, msgpack);
        JsonNode connected = s.next(4);
        assertThat(connected.path("connectionId").asText()).isNotBlank();
        assertThat(connected.path("connectionDetails").path("connectionKey").asText()).isNotBlank();
        return s;
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void connectedCarriesCompleteConnectionDetails(boolean msgpack) {
        try (RawSocket s = RawSocket.open(server.port(), KEY + "&clientId=zed&v=6", msgpack)) {
            JsonNode d = s.next(4).path("connectionDetails");
            assertThat(d.path("clientId").asText()).isEqualTo("zed");
            assertThat(d.path("maxMessageSize").asLong()).isEqualTo(65_536);
            assertThat(d.path("maxFrameSize").asLong()).isEqualTo(200_000);
            assertThat(d.path("maxInboundRate").asLong()).isPositive();
            assertThat(d.path("connectionStateTtl").asLong()).isEqualTo(server.rollcall().node().limits().connectionStateTtl().toMillis());
            assertThat(d.path("maxIdleInterval").asLong()).isEqualTo(5_000);
            assertThat(d.path("serverId").asText()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void heartbeatEchoesItsId(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            s.send("{\"action\":0,\"id\":\"ping-7\"}");
            assertThat(s.next(0).path("id").asText()).isEqualTo("ping-7");
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void presenceWithoutClientIdIs91000(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            s.send("{\"action\":10,\"channel\":\"anon\"}");
            s.next(11);
            s.send("{\"action\":14,\"channel\":\"anon\",\"msgSerial\":0,\"presence\":[{\"action\":2,\"data\":\"x\"}]}");
            JsonNode nack = s.next(2);
            assertThat(nack.path("msgSerial").asLong()).isZero();
            assertThat(nack.path("count").asInt()).isEqualTo(1);
            assertThat(nack.path("error").path("code").asInt()).isEqualTo(91000);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void retransmittedSerialIsAckedAgainButNotRepublished(boolean msgpack) {
        try (RawSocket sub = connected(KEY, msgpack); RawSocket pub = connected(KEY, msgpack)) {
            sub.send("{\"action\":10,\"channel\":\"dedupe\"}");
            sub.next(11);
            String msg = "{\"action\":15,\"channel\":\"dedupe\",\"msgSerial\":0,\"messages\":[{\"name\":\"n\",\"data\":\"once\"}]}";
            pub.send(msg);
            assertThat(pub.next(1).path("msgSerial").asLong()).isZero();
            pub.send(msg);
            assertThat(pub.next(1).path("msgSerial").asLong()).isZero();
            pub.send("{\"action\":15,\"channel\":\"dedupe\",\"msgSerial\":1,\"messages\":[{\"name\":\"n\",\"data\":\"twice\"}]}");
            assertThat(pub.next(1).path("msgSerial").asLong()).isEqualTo(1);
            assertThat(sub.next(15).path("messages").get(0).path("data").asText()).isEqualTo("once");
            assertThat(sub.next(15).path("messages").get(0).path("data").asText()).isEqualTo("twice");
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void malformedFrameIsFatalForThatConnectionOnly(boolean msgpack) {
        try (RawSocket bystander = connected(KEY, msgpack); RawSocket bad = connected(KEY, msgpack)) {
            if (msgpack) {
                bad.sendRaw(new byte[] {(byte) 0xc1, 0x00, 0x13}); // 0xc1 is never valid msgpack
            } else {
                bad.sendRawText("{\"action\":15,\"channel\":");
            }
            JsonNode err = bad.next(9);
            assertThat(err.path("error").path("code").asInt()).isEqualTo(40000);
            assertThat(err.has("channel")).isFalse();
            assertThat(Await.get(bad.closeCode)).isEqualTo(1000);
            bystander.send("{\"action\":0,\"id\":\"still-here\"}");
            assertThat(bystander.next(0).path("id").asText()).isEqualTo("still-here");
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void unknownActionIsAProtocolError(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            s.send("{\"action\":42}");
            assertThat(s.next(9).path("error").path("code").asInt()).isEqualTo(80013);
            assertThat(Await.get(s.closeCode)).isEqualTo(1000);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void invalidChannelNameFailsTheChannelWith40010(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            s.send("{\"action\":10,\"channel\":\":bad\"}");
            JsonNode err = s.next(9);
            assertThat(err.path("channel").asText()).isEqualTo(":bad");
            assertThat(err.path("error").path("code").asInt()).isEqualTo(40010);
            s.send("{\"action\":10,\"channel\":\"room1::$chat\"}");
            assertThat(s.next(11).path("channel").asText()).isEqualTo("room1::$chat");
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void oversizedMessageIsNacked40009(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            String big = "x".repeat(70_000);
            s.send("{\"action\":15,\"channel\":\"big\",\"msgSerial\":0,\"messages\":[{\"data\":\"" + big + "\"}]}");
            assertThat(s.next(2).path("error").path("code").asInt()).isEqualTo(40009);
            s.send("{\"action\":0,\"id\":\"alive\"}");
            assertThat(s.next(0).path("id").asText()).isEqualTo("alive");
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void frameOverMaxFrameSizeClosesWith40009(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            s.sendRawText("{\"action\":0,\"id\":\"" + "y".repeat(250_000) + "\"}");
            assertThat(s.next(9).path("error").path("code").asInt()).isEqualTo(40009);
            assertThat(Await.get(s.closeCode)).isEqualTo(1000);
        }
    }

    /**
     * A resume that arrives before the server noticed the old socket die; the client re-attaches with the last
     * channelSerial it saw and gets exactly what it missed, in order, right after a RESUMED ATTACHED.
     */
    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void reattachReplaysWhatTheClientMissedByChannelSerial(boolean msgpack) {
        String ch = "replay-" + msgpack;
        try (RawSocket pub = connected(KEY, msgpack); RawSocket first = RawSocket.open(server.port(), KEY, msgpack)) {
            JsonNode connected = first.next(4);
            String id = connected.path("connectionId").asText();
            String key = connected.path("connectionDetails").path("connectionKey").asText();
            first.send("{\"action\":10,\"channel\":\"" + ch + "\",\"flags\":262144}");
            first.next(11);
            for (int i = 0; i < 3; i++) {
                pub.send("{\"action\":15,\"channel\":\"" + ch + "\",\"msgSerial\":" + i + ",\"messages\":[{\"data\":\"m" + i + "\"}]}");
                pub.next(1);
            }
            String seen = first.next(15).path("channelSerial").asText();
            try (RawSocket second = RawSocket.open(server.port(), KEY + "&resume=" + key, msgpack)) {
                assertThat(second.next(4).path("connectionId").asText()).isEqualTo(id);
                second.send("{\"action\":10,\"channel\":\"" + ch + "\",\"flags\":262144,\"channelSerial\":\"" + seen + "\"}");
                JsonNode attached = second.next(11);
                assertThat(attached.path("flags").asInt() & 4).as("RESUMED").isEqualTo(4);
                assertThat(second.next(15).path("messages").get(0).path("data").asText()).isEqualTo("m1");
                assertThat(second.next(15).path("messages").get(0).path("data").asText()).isEqualTo("m2");
                pub.send("{\"action\":15,\"channel\":\"" + ch + "\",\"msgSerial\":3,\"messages\":[{\"data\":\"m3\"}]}");
                assertThat(second.next(15).path("messages").get(0).path("data").asText()).isEqualTo("m3");
            }
        }
    }

    /**
     * The replay comes from what the channel keeps for all its subscribers, but resends only what this
     * connection had live: not what came before its attach, nor its own messages when it asked for no echo.
     */
    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void aReplayResendsOnlyWhatTheConnectionHadLive(boolean msgpack) {
        String ch = "replay-own-" + msgpack;
        try (RawSocket pub = connected(KEY, msgpack); RawSocket first = RawSocket.open(server.port(), KEY + "&echo=false", msgpack)) {
            // The publisher's attach keeps the channel. Ephemeral, so not in history: only the attach point
            // can tell that it was never this connection's.
            pub.send("{\"action\":10,\"channel\":\"" + ch + "\"}");
            pub.next(11);
            pub.send("{\"action\":15,\"channel\":\"" + ch + "\",\"msgSerial\":0,\"messages\":[{\"data\":\"before\",\"extras\":{\"ephemeral\":true}}]}");
            pub.next(1);
            JsonNode connected = first.next(4);
            String id = connected.path("connectionId").asText();
            String key = connected.path("connectionDetails").path("connectionKey").asText();
            first.send("{\"action\":10,\"channel\":\"" + ch + "\"}");
            first.next(11);
            first.send("{\"action\":15,\"channel\":\"" + ch + "\",\"msgSerial\":0,\"messages\":[{\"data\":\"own\"}]}");
            first.next(1);
            pub.send("{\"action\":15,\"channel\":\"" + ch + "\",\"msgSerial\":1,\"messages\":[{\"data\":\"live\"}]}");
            pub.next(1);
            assertThat(first.next(15).path("messages").get(0).path("data").asText()).isEqualTo("live");
            try (RawSocket second = RawSocket.open(server.port(), KEY + "&echo=false&resume=" + key, msgpack)) {
                assertThat(second.next(4).path("connectionId").asText()).isEqualTo(id);
                // No channelSerial: as if nothing had arrived since the attach.
                second.send("{\"action\":10,\"channel\":\"" + ch + "\",\"flags\":262144}");
                assertThat(second.next(11).path("flags").asInt() & 4).as("RESUMED").isEqualTo(4);
                assertThat(second.next(15).path("messages").get(0).path("data").asText()).isEqualTo("live");
                pub.send("{\"action\":15,\"channel\":\"" + ch + "\",\"msgSerial\":2,\"messages\":[{\"data\":\"after\"}]}");
                assertThat(second.next(15).path("messages").get(0).path("data").asText()).as("nothing else replayed").isEqualTo("after");
            }
        }
    }

    /** Past what the channel keeps for replays, a resumed re-attach says so: ATTACHED without RESUMED. */
    @org.junit.jupiter.api.Test
    void aGapBeyondTheReplayMemoryIsADiscontinuity() {
        try (TestServer small = TestServer.start(l -> l.replayMessages(2));
             RawSocket pub = RawSocket.open(small.port(), KEY, false); RawSocket first = RawSocket.open(small.port(), KEY, false)) {
            pub.next(4);
            JsonNode connected = first.next(4);
            String key = connected.path("connectionDetails").path("connectionKey").asText();
            first.send("{\"action\":10,\"channel\":\"gap\",\"flags\":262144}");
            String attachSerial = first.next(11).path("channelSerial").asText();
            for (int i = 0; i < 5; i++) {
                pub.send("{\"action\":15,\"channel\":\"gap\",\"msgSerial\":" + i + ",\"messages\":[{\"data\":\"g" + i + "\"}]}");
                pub.next(1);
            }
            try (RawSocket second = RawSocket.open(small.port(), KEY + "&resume=" + key, false)) {
                second.next(4);
                second.send("{\"action\":10,\"channel\":\"gap\",\"flags\":262144,\"channelSerial\":\"" + attachSerial + "\"}");
                assertThat(second.next(11).path("flags").asInt() & 4).as("not RESUMED").isZero();
            }
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void resumeWithUnknownKeyGivesANewConnectionAnd80008(boolean msgpack) {
        try (RawSocket s = RawSocket.open(server.port(), KEY + "&resume=AAAAAAAAAAAAAAAA!BBBBBBBBBBBBBBBB", msgpack)) {
            JsonNode connected = s.next(4);
            assertThat(connected.path("connectionId").asText()).isNotBlank();
            assertThat(connected.path("error").path("code").asInt()).isEqualTo(80008);
        }
    }

    /** A key that is not of this server's shape is 80018 (invalid format), for resume and recover alike. */
    @ParameterizedTest(name = "param={0}")
    @ValueSource(strings = {"resume", "recover"})
    void malformedConnectionKeyGivesANewConnectionAnd80018(String param) {
        try (RawSocket s = RawSocket.open(server.port(), KEY + "&" + param + "=_____!ablyjs_test_fake-key____", false)) {
            JsonNode connected = s.next(4);
            assertThat(connected.path("connectionDetails").path("connectionKey").asText()).doesNotContain("ablyjs");
            assertThat(connected.path("error").path("code").asInt()).isEqualTo(80018);
            assertThat(connected.path("error").path("statusCode").asInt()).isEqualTo(400);
        }
    }

    /**
     * RTN16d: a recover keeps the connectionId and issues a new key; the socket it takes over is told
     * (DISCONNECTED), and the old key no longer resumes anything, so two holders cannot take turns.
     */
    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void recoverGivesTheSameIdANewKeyAndDisconnectsTheOldSocket(boolean msgpack) {
        try (RawSocket first = RawSocket.open(server.port(), KEY, msgpack)) {
            JsonNode connected = first.next(4);
            String id = connected.path("connectionId").asText();
            String key = connected.path("connectionDetails").path("connectionKey").asText();
            try (RawSocket second = RawSocket.open(server.port(), KEY + "&recover=" + key, msgpack)) {
                JsonNode recovered = second.next(4);
                assertThat(recovered.path("connectionId").asText()).isEqualTo(id);
                assertThat(recovered.has("error") && !recovered.path("error").isNull()).isFalse();
                String newKey = recovered.path("connectionDetails").path("connectionKey").asText();
                assertThat(newKey).isNotEqualTo(key).startsWith(id + "!");
                JsonNode told = first.next(6);
                assertThat(told.path("error").path("code").asInt()).isEqualTo(80016);
                assertThat(Await.get(first.closeCode)).isEqualTo(1000);
                try (RawSocket third = RawSocket.open(server.port(), KEY + "&resume=" + key, msgpack)) {
                    JsonNode again = third.next(4);
                    assertThat(again.path("error").path("code").asInt()).isEqualTo(80008);
                    assertThat(again.path("connectionId").asText()).isNotEqualTo(id);
                }
                second.send("{\"action\":0,\"id\":\"still-mine\"}");
                assertThat(second.next(0).path("id").asText()).isEqualTo("still-mine");
            }
        }
    }

    /** params.modes wins over the mode flags; ATTACHED carries exactly the granted modes and known params. */
    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void attachHonoursParamsModes(boolean msgpack) {
        try (RawSocket s = connected(KEY, msgpack)) {
            s.send("{\"action\":10,\"channel\":\"pm\",\"flags\":196608,\"params\":{\"modes\":\"subscribe\",\"bogus\":\"1\"}}");
            JsonNode attached = s.next(11);
            assertThat(attached.path("flags").asInt() & 0x3ff0000).isEqualTo(1 << 18);
            assertThat(attached.path("params").path("modes").asText()).isEqualTo("subscribe");
            assertThat(attached.path("params").has("bogus")).isFalse();
            s.send("{\"action\":10,\"channel\":\"pm2\"}");
            assertThat(s.next(11).path("flags").asInt() & 0x3ff0000).as("default modes").isEqualTo(3_080_192);
            s.send("{\"action\":10,\"channel\":\"pm3\",\"params\":{\"modes\":\"subscribe,fly\"}}");
            assertThat(s.next(9).path("error").path("code").asInt()).isEqualTo(40000);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void wrongSecretIsAnErrorThenANormalClose(boolean msgpack) {
        try (RawSocket s = RawSocket.open(server.port(), "key=" + TestServer.APP + ".all:wrong", msgpack)) {
            JsonNode err = s.next(9);
            assertThat(err.path("error").path("code").asInt()).isEqualTo(40101);
            assertThat(err.path("error").path("statusCode").asInt()).isEqualTo(401);
            assertThat(Await.get(s.closeCode)).isEqualTo(1000);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void floodPastTheInboundRateIsNacked42911(boolean msgpack) {
        // A low rate, so the flood outruns it however slowly a loaded machine reads the frames (600 at 5/s
        // would take two minutes to read without a refusal).
        try (TestServer slow = TestServer.start(l -> l.maxInboundRate(5));
                RawSocket s = RawSocket.open(slow.port(), KEY, msgpack)) {
            assertThat(s.next(4).path("connectionId").asText()).isNotBlank();
            int n = 600;
            for (int i = 0; i < n; i++) {
                s.send("{\"action\":15,\"channel\":\"flood\",\"msgSerial\":" + i + ",\"messages\":[{\"data\":\"f\"}]}");
            }
            int acks = 0;
            int nacks = 0;
            while (acks + nacks < n) {
                JsonNode f = s.poll(Await.TIMEOUT.toMillis());
                assertThat(f).as("an ACK or NACK for every message").isNotNull();
                int action = f.path("action").asInt();
                if (action == 1) {
                    acks++;
                } else if (action == 2) {
                    assertThat(f.path("error").path("code").asInt()).isEqualTo(42911);
                    nacks++;
                }
            }
            assertThat(nacks).isPositive();
            assertThat(acks).isPositive();
            s.send("{\"action\":0,\"id\":\"alive\"}");
            assertThat(s.next(0).path("id").asText()).isEqualTo("alive");
        }
    }
}
