package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A Java Chat client and an @ably/chat (JavaScript) client in one room see each other and the same occupancy. */
class MixedRoomTest {

    @Test
    void javaAndJavascriptShareARoom() throws Exception {
        try (ChatFixture fx = new ChatFixture(TestServer.start())) {
            String name = "mixed";
            ChatClient chat = fx.client("java-user");
            Room room = join(chat.rooms().get(name, RoomOptions.builder().occupancyEvents(true).build()));
            List<PresenceEvent> javaSaw = new CopyOnWriteArrayList<>();
            room.presence().subscribe(javaSaw::add);
            join(room.attach());
            join(room.presence().enter(Map.of("from", "java")));

            try (NodeParticipant node = new NodeParticipant("mixed-room.mjs", fx.server.port(), Map.of("ROOM", name))) {
                List<JsonNode> jsSaw = node.lines;
                // JS sees the Java member (as present, from the sync) and itself.
                JsonNode ready = node.await(n -> n.path("kind").asText().equals("ready"), "js ready");
                assertThat(ready.path("members").toString()).contains("java-user", "js-user");
                assertThat(jsSaw).anyMatch(n -> n.path("kind").asText().equals("presence")
                        && n.path("clientId").asText().equals("java-user") && n.path("type").asText().equals("present")
                        && n.path("data").path("from").asText().equals("java"));

                // Java sees the JS member enter, with its data.
                Await.until(() -> javaSaw.stream().anyMatch(e -> e.type() == PresenceEventType.ENTER
                        && e.member().clientId().equals("js-user")), "java saw js enter");
                PresenceEvent jsEnter = javaSaw.stream().filter(e -> e.member().clientId().equals("js-user")).findFirst().orElseThrow();
                assertThat(jsEnter.member().data()).asInstanceOf(MAP).containsEntry("from", "js");
                assertThat(join(room.presence().get())).extracting(PresenceMember::clientId)
                        .containsExactlyInAnyOrder("java-user", "js-user");

                // The same occupancy on both sides.
                OccupancyData both = new OccupancyData(2, 2);
                Await.until(() -> room.occupancy().current().map(both::equals).orElse(false), "java occupancy 2/2");
                Await.until(() -> jsSaw.stream().anyMatch(n -> n.path("kind").asText().equals("occupancy")
                        && n.path("connections").asInt() == 2 && n.path("presenceMembers").asInt() == 2), "js occupancy 2/2");
                assertThat(join(room.occupancy().get())).isEqualTo(both);

                // JS leaves: Java sees it go.
                assertThat(node.finish()).isTrue();
                Await.until(() -> javaSaw.stream().anyMatch(e -> e.type() == PresenceEventType.LEAVE
                        && e.member().clientId().equals("js-user")), "java saw js leave");
            }
        }
    }
}
