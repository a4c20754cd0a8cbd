package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Presence rules at the wire: limits, clientId rules and client-requested SYNC. */
class PresenceRulesTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.maxPresenceMembers(3).maxPresenceDataSize(100).syncPageSize(2));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawSocket attached(String query, String channel, boolean msgpack) {
        RawSocket s = RawSocket.open(server.port(), "key=" + TestServer.KEY + query, msgpack);
        s.next(4);
        s.send("{\"action\":10,\"channel\":\"" + channel + "\"}");
        s.next(11);
        return s;
    }

    static String enter(int serial, String clientId, String data) {
        return "{\"action\":14,\"channel\":\"%CH%\",\"msgSerial\":" + serial + ",\"presence\":[{\"action\":2"
                + (clientId == null ? "" : ",\"clientId\":\"" + clientId + "\"") + ",\"data\":\"" + data + "\"}]}";
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void memberCapIs91003(boolean msgpack) {
        String ch = "cap-" + msgpack;
        try (RawSocket s = attached("", ch, msgpack)) {
            for (int i = 0; i < 3; i++) {
                s.send(enter(i, "u" + i, "d").replace("%CH%", ch));
                assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(i);
            }
            s.send(enter(3, "u3", "d").replace("%CH%", ch));
            JsonNode nack = s.next(2);
            assertThat(nack.path("error").path("code").asInt()).isEqualTo(91003);
            // Updating an existing member is still fine at the cap.
            s.send(enter(4, "u0", "again").replace("%CH%", ch));
            assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void oversizedPresenceDataIs40009(boolean msgpack) {
        String ch = "size-" + msgpack;
        try (RawSocket s = attached("&clientId=big", ch, msgpack)) {
            s.send(enter(0, null, "x".repeat(101)).replace("%CH%", ch));
            assertThat(s.next(2).path("error").path("code").asInt()).isEqualTo(40009);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void onlyWildcardConnectionsEnterOnBehalfOfOthers(boolean msgpack) {
        String ch = "behalf-" + msgpack;
        try (RawSocket s = attached("&clientId=me", ch, msgpack)) {
            s.send(enter(0, "someone-else", "d").replace("%CH%", ch));
            assertThat(s.next(2).path("error").path("code").asInt()).isEqualTo(40012);
            s.send(enter(1, "me", "d").replace("%CH%", ch));
            assertThat(s.next(1).path("msgSerial").asLong()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void attachAndClientSyncDeliverPagedSyncsEndingWithAnEmptyCursor(boolean msgpack) {
        String ch = "sync-" + msgpack;
        try (RawSocket wild = attached("", ch, msgpack)) {
            for (int i = 0; i < 3; i++) {
                wild.send(enter(i, "m" + i, "d").replace("%CH%", ch));
                wild.next(1);
            }
            try (RawSocket late = RawSocket.open(server.port(), "key=" + TestServer.KEY + "&clientId=late", msgpack)) {
                late.next(4);
                late.send("{\"action\":10,\"channel\":\"" + ch + "\"}");
                JsonNode attached = late.next(11);
                assertThat(attached.path("flags").asInt() & 1).as("HAS_PRESENCE").isEqualTo(1);
                assertThat(attached.path("channelSerial").isTextual()).isTrue();
                int members = 0;
                for (int page = 0; page < 2; page++) {
                    JsonNode sync = late.next(16);
                    members += sync.path("presence").size();
                    String cursor = sync.path("channelSerial").asText();
                    assertThat(cursor).matches("[\\w-]+:.*");
                    assertThat(cursor.endsWith(":")).isEqualTo(page == 1);
                }
                assertThat(members).isEqualTo(3);
                // A client-sent SYNC gets a fresh full sync.
                late.send("{\"action\":16,\"channel\":\"" + ch + "\"}");
                assertThat(late.next(16).path("presence").size() + late.next(16).path("presence").size()).isEqualTo(3);
            }
        }
    }

    /** A re-enter carrying an id older than (or equal to) the member's changes nothing and is not broadcast. */
    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void aStaleReenterNeitherRollsBackNorBroadcasts(boolean msgpack) {
        String ch = "stale-" + msgpack;
        try (RawSocket watcher = attached("&clientId=watcher", ch, msgpack);
             RawSocket member = attached("&clientId=mem", ch, msgpack)) {
            member.send(enter(0, null, "first").replace("%CH%", ch));
            String connectionId = watcher.next(14).path("presence").get(0).path("connectionId").asText();
            member.send("{\"action\":14,\"channel\":\"" + ch + "\",\"msgSerial\":1,\"presence\":[{\"action\":4,\"data\":\"second\"}]}");
            assertThat(watcher.next(14).path("presence").get(0).path("data").asText()).isEqualTo("second");
            // What ably-java sends after a re-attach: ENTER with the member's original (now older) id.
            member.send("{\"action\":14,\"channel\":\"" + ch + "\",\"msgSerial\":2,\"presence\":[{\"action\":2,\"id\":\""
                    + connectionId + ":0:0\",\"data\":\"first\"}]}");
            member.send("{\"action\":14,\"channel\":\"" + ch + "\",\"msgSerial\":3,\"presence\":[{\"action\":2,\"id\":\""
                    + connectionId + ":1:0\",\"data\":\"second\"}]}");
            for (int serial = 2; serial <= 3; serial++) {
                JsonNode ack;
                do {
                    ack = member.next(1);
                } while (ack.path("msgSerial").asLong() < serial);
                assertThat(ack.path("msgSerial").asLong()).isEqualTo(serial);
            }
            // The next real change is the next thing the watcher sees.
            member.send("{\"action\":14,\"channel\":\"" + ch + "\",\"msgSerial\":4,\"presence\":[{\"action\":4,\"data\":\"third\"}]}");
            JsonNode next = watcher.next(14).path("presence").get(0);
            assertThat(next.path("data").asText()).isEqualTo("third");
            assertThat(next.path("id").asText()).isEqualTo(connectionId + ":4:0");
        }
    }

    /** SDKs order synthesized events by timestamp alone (RTP2b): the LEAVE must be strictly newer. */
    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void aSynthesizedLeaveIsStrictlyNewerThanTheMemberItRemoves(boolean msgpack) {
        String ch = "synth-" + msgpack;
        try (RawSocket watcher = attached("&clientId=watcher", ch, msgpack)) {
            for (int round = 0; round < 20; round++) {
                try (RawSocket leaver = attached("&clientId=leaver", ch, msgpack)) {
                    leaver.send(enter(0, null, "d").replace("%CH%", ch));
                    leaver.send("{\"action\":12,\"channel\":\"" + ch + "\"}");
                    JsonNode enter = watcher.next(14).path("presence").get(0);
                    JsonNode leave = watcher.next(14).path("presence").get(0);
                    assertThat(enter.path("action").asInt()).isEqualTo(2);
                    assertThat(leave.path("action").asInt()).isEqualTo(3);
                    assertThat(leave.path("timestamp").asLong()).isGreaterThan(enter.path("timestamp").asLong());
                    assertThat(leave.path("id").asText()).doesNotStartWith(enter.path("connectionId").asText());
                    assertThat(leave.path("data").asText()).isEqualTo("d");
                }
            }
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void leaveWhenNotPresentIsAckedWithNoEvent(boolean msgpack) {
        String ch = "leave-" + msgpack;
        try (RawSocket s = attached("&clientId=ghost", ch, msgpack)) {
            s.send("{\"action\":14,\"channel\":\"" + ch + "\",\"msgSerial\":0,\"presence\":[{\"action\":3}]}");
            assertThat(s.next(1).path("msgSerial").asLong()).isZero();
            s.send("{\"action\":0,\"id\":\"after\"}");
            JsonNode f = s.poll(2000);
            while (f != null && f.path("action").asInt() != 0) {
                assertThat(f.path("action").asInt()).as("no PRESENCE event").isNotEqualTo(14);
                f = s.poll(2000);
            }
        }
    }
}
