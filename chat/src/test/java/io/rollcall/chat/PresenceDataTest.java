package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence data is any JSON value and arrives as sent: between two Java clients (exact integral types, longs
 * beyond 2^53), and between Java and @ably/chat in both directions (strings stay strings, numbers keep their
 * integral type, arrays, booleans, null).
 */
class PresenceDataTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    /** A JSON object with every kind of value, nulls included (so not Map.of). */
    static Map<String, Object> everyKind() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("age", 30);
        m.put("pi", 3.25);
        m.put("ok", true);
        m.put("nothing", null);
        m.put("name", "Zoë");
        m.put("tags", Arrays.asList("a", 1, false, null));
        m.put("nested", Map.of("empty", List.of(), "n", -7));
        return m;
    }

    private static void awaitUpdate(List<PresenceEvent> events, String clientId, Object expected) {
        Await.until(() -> events.stream().anyMatch(e -> e.type() == PresenceEventType.UPDATE
                && e.member().clientId().equals(clientId) && Objects.deepEquals(e.member().data(), expected)),
                clientId + "'s update to " + expected + " arrived as sent; saw " + events);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void javaToJavaKeepsEveryValueExactly(boolean binary) {
        String name = "data-java-" + binary;
        Room sender = fx.attachedRoom(name, "sender", binary);
        Room receiver = fx.attachedRoom(name, "receiver", !binary);
        List<PresenceEvent> events = new CopyOnWriteArrayList<>();
        receiver.presence().subscribe(events::add);

        join(sender.presence().enter(Map.of("age", 30)));
        Await.until(() -> events.stream().anyMatch(e -> e.type() == PresenceEventType.ENTER), "enter");
        Object entered = events.get(0).member().data();
        assertThat(entered).isEqualTo(Map.of("age", 30));
        assertThat(((Map<?, ?>) entered).get("age")).isInstanceOf(Integer.class);

        Map<String, Object> longs = new LinkedHashMap<>(everyKind());
        longs.put("big", 9_007_199_254_740_993L);                                  // 2^53 + 1
        longs.put("max", Long.MAX_VALUE);
        longs.put("huge", new BigInteger("123456789012345678901234567890"));
        List<Object> values = Arrays.asList(longs, "30", "{\"looks\":\"like JSON\"}", 42, 9_007_199_254_740_993L,
                2.5, List.of(1, "two", Map.of()), false, "Zoë".getBytes(StandardCharsets.UTF_8));
        for (Object v : values) {
            join(sender.presence().update(v));
            awaitUpdate(events, "sender", v);
        }

        // What arrives is read-only, and what get() answers is the same value.
        assertThat(join(receiver.presence().get(PresenceParams.builder().clientId("sender").build())))
                .singleElement().extracting(PresenceMember::data).isEqualTo(values.get(values.size() - 1));
        join(sender.presence().update(longs));
        awaitUpdate(events, "sender", longs);
        Map<?, ?> last = (Map<?, ?>) events.get(events.size() - 1).member().data();
        assertThat(last.get("big")).isEqualTo(9_007_199_254_740_993L);
        assertThatThrownBy(() -> last.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) last.get("tags")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void javaAndAblyChatReadEachOthersData(boolean binary) throws Exception {
        String name = "data-mixed-" + binary;
        Room java = fx.attachedRoom(name, "java-data", binary);
        List<PresenceEvent> javaSaw = new CopyOnWriteArrayList<>();
        java.presence().subscribe(javaSaw::add);
        join(java.presence().enter());

        try (NodeParticipant js = new NodeParticipant("presence-data.mjs", fx.server.port(),
                Map.of("ROOM", name, "BINARY", Boolean.toString(binary)))) {
            js.await(n -> n.path("kind").asText().equals("ready"), "js ready");

            // Java -> @ably/chat: the value and its JavaScript type.
            record Sent(Object value, String jsType) { }
            for (Sent s : List.of(new Sent(everyKind(), "object"), new Sent("30", "string"), new Sent("plain text", "string"),
                    new Sent(42, "number"), new Sent(List.of(1, "two", Map.of()), "array"), new Sent(false, "boolean"))) {
                join(java.presence().update(s.value()));
                JsonNode expected = NodeParticipant.JSON.valueToTree(s.value());
                js.await(n -> n.path("kind").asText().equals("presence") && n.path("clientId").asText().equals("java-data")
                        && n.path("type").asText().equals("update") && n.path("dataType").asText().equals(s.jsType())
                        && n.path("data").equals(expected), "@ably/chat read " + expected + " as " + s.jsType());
            }

            // @ably/chat -> Java: strings stay strings, numbers keep their integral type. (ably-js refuses a
            // bare number or boolean as data, 40013, so those travel inside objects and arrays.)
            Map<String, Object> fromJs = everyKind();
            fromJs.put("big", 4_294_967_296L);   // beyond int: a Long
            fromJs.put("half", 2.5);
            List<Object> values = Arrays.asList(fromJs, "hello from js", "30", "{\"a\":1}",
                    Arrays.asList(1, "a", null, true, 4_294_967_296L, 0.5));
            for (Object v : values) {
                int before = js.kind("updated").size();
                js.send(Map.of("update", v));
                Await.until(() -> js.kind("updated").size() > before, "js updated to " + v);
                awaitUpdate(javaSaw, "js-data", v);
            }
            Object age = ((Map<?, ?>) javaSaw.stream().filter(e -> e.member().clientId().equals("js-data")
                    && e.member().data() instanceof Map).findFirst().orElseThrow().member().data()).get("age");
            assertThat(age).isInstanceOf(Integer.class).isEqualTo(30);
            assertThat(js.finish()).isTrue();
        }
    }
}
