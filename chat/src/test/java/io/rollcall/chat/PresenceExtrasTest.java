package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins the documented limit of {@link PresenceMember#extras()}: the server delivers presence extras (a raw
 * client sees them), but ably-java 1.5.0 drops them while decoding, in JSON and msgpack, so the Java SDK
 * reports null, with the member's data intact. When ably-java gains {@code PresenceMessage.extras}, the last
 * check fails: map the field in {@code Presence.member} and update the Javadoc and README.
 */
class PresenceExtrasTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void extrasReachTheWireButNotAblyJava(boolean binary) {
        String name = "extras-" + binary;
        String channel = name + "::$chat";
        Room java = join(fx.client(TestServer.KEY, "java-reader", binary, o -> { }).rooms().get(name));
        List<PresenceEvent> events = new CopyOnWriteArrayList<>();
        java.presence().subscribe(events::add);
        join(java.attach());

        try (RawSocket observer = RawSocket.open(fx.server.port(), "key=" + TestServer.KEY + "&clientId=observer", binary);
             RawSocket sender = RawSocket.open(fx.server.port(), "key=" + TestServer.KEY + "&clientId=raw-sender", binary)) {
            for (RawSocket s : List.of(observer, sender)) {
                s.next(4);
                s.send("{\"action\":10,\"channel\":\"" + channel + "\"}");
                s.next(11);
            }
            sender.send("{\"action\":14,\"channel\":\"" + channel + "\",\"msgSerial\":0,\"presence\":[{\"action\":2,"
                    + "\"data\":\"{\\\"mood\\\":\\\"happy\\\"}\",\"encoding\":\"json\","
                    + "\"extras\":{\"headers\":{\"role\":\"moderator\"}}}]}");

            // On the wire, to a subscriber: the extras are there.
            JsonNode enter = null;
            while (enter == null) {
                JsonNode p = observer.next(14);
                for (JsonNode m : p.path("presence")) {
                    if (m.path("clientId").asText().equals("raw-sender")) {
                        enter = m;
                    }
                }
            }
            assertThat(enter.path("extras").path("headers").path("role").asText()).isEqualTo("moderator");
        }

        // Through ably-java: the data arrives, the extras do not.
        Await.until(() -> events.stream().anyMatch(e -> e.member().clientId().equals("raw-sender")), "java saw the enter");
        PresenceMember member = events.stream().filter(e -> e.member().clientId().equals("raw-sender")).findFirst()
                .orElseThrow().member();
        assertThat(member.data()).isEqualTo(Map.of("mood", "happy"));
        assertThat(member.extras()).isNull();

        // Why: ably-java's PresenceMessage has no field for them (nor any superclass of it).
        List<String> fields = new ArrayList<>();
        for (Class<?> c = io.ably.lib.types.PresenceMessage.class; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                fields.add(f.getName());
            }
        }
        assertThat(fields).as("ably-java decodes presence extras now: deliver them in PresenceMember.extras()")
                .contains("data", "clientId").doesNotContain("extras");
    }
}
