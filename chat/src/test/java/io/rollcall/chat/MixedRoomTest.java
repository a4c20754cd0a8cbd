package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A Java Chat client and an @ably/chat (JavaScript) client in one room see each other and the same occupancy. */
class MixedRoomTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

            File dir = new File("../interop/js").getCanonicalFile();
            ProcessBuilder pb = new ProcessBuilder("node", "scripts/mixed-room.mjs").directory(dir).redirectErrorStream(true);
            pb.environment().put("ROLLCALL_PORT", Integer.toString(fx.server.port()));
            pb.environment().put("ROLLCALL_KEY", TestServer.KEY);
            pb.environment().put("ROOM", name);
            Process node = pb.start();
            List<JsonNode> jsSaw = new CopyOnWriteArrayList<>();
            List<String> raw = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        raw.add(line);
                        try {
                            jsSaw.add(JSON.readTree(line));
                        } catch (java.io.IOException notJson) {
                            // diagnostics from node: kept in raw for the failure message
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                // JS sees the Java member (as present, from the sync) and itself.
                JsonNode ready = Await.value(() -> jsSaw.stream().filter(n -> n.path("kind").asText().equals("ready")).findFirst().orElse(null),
                        n -> n != null, "js ready; output so far: " + raw);
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
                node.getOutputStream().close();
                assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
                Await.until(() -> javaSaw.stream().anyMatch(e -> e.type() == PresenceEventType.LEAVE
                        && e.member().clientId().equals("js-user")), "java saw js leave");
            } finally {
                node.destroyForcibly();
            }
        }
    }
}
