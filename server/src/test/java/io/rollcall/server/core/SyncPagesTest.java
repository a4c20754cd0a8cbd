package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Joiners share the SYNC pages of an unchanged presence set; any change gives the next joiner a fresh SYNC. */
class SyncPagesTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.syncPageSize(2));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawSocket connected(String clientId, boolean msgpack) {
        RawSocket s = RawSocket.open(server.port(), "key=" + TestServer.KEY + (clientId == null ? "" : "&clientId=" + clientId), msgpack);
        s.next(4);
        return s;
    }

    /** Attaches and reads the whole SYNC: its pages, in order. */
    static List<JsonNode> join(String channel, boolean msgpack) {
        try (RawSocket s = connected("joiner", msgpack)) {
            s.send("{\"action\":10,\"channel\":\"" + channel + "\"}");
            s.next(11);
            List<JsonNode> pages = new ArrayList<>();
            JsonNode page;
            do {
                page = s.next(16);
                pages.add(page);
            } while (!page.path("channelSerial").asText().endsWith(":"));
            return pages;
        }
    }

    static List<String> data(List<JsonNode> pages) {
        List<String> out = new ArrayList<>();
        pages.forEach(p -> p.path("presence").forEach(m -> out.add(m.path("clientId").asText() + "=" + m.path("data").asText())));
        return out;
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void joinersSharePagesUntilTheSetChanges(boolean msgpack) {
        String name = "sync-pages-" + msgpack;
        // A key without a clientId acts for any clientId.
        try (RawSocket wild = connected(null, msgpack)) {
            wild.send("{\"action\":10,\"channel\":\"" + name + "\"}");
            wild.next(11);
            wild.send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":0,\"presence\":["
                    + "{\"action\":2,\"clientId\":\"a\",\"data\":\"1\"},{\"action\":2,\"clientId\":\"b\",\"data\":\"1\"},"
                    + "{\"action\":2,\"clientId\":\"c\",\"data\":\"1\"}]}");
            wild.next(1);
            List<JsonNode> first = join(name, msgpack);
            List<JsonNode> second = join(name, !msgpack);
            assertThat(first).hasSize(2);
            assertThat(data(first)).containsExactly("a=1", "b=1", "c=1");
            assertThat(second).isEqualTo(first);

            wild.send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":1,\"presence\":[{\"action\":4,\"clientId\":\"b\",\"data\":\"2\"}]}");
            wild.next(1);
            List<JsonNode> third = join(name, msgpack);
            assertThat(data(third)).containsExactly("a=1", "b=2", "c=1");
            assertThat(third.get(0).path("channelSerial").asText()).isNotEqualTo(first.get(0).path("channelSerial").asText());

            wild.send("{\"action\":14,\"channel\":\"" + name + "\",\"msgSerial\":2,\"presence\":[{\"action\":3,\"clientId\":\"a\"}]}");
            wild.next(1);
            assertThat(data(join(name, msgpack))).containsExactly("b=2", "c=1");
        }
    }
}
