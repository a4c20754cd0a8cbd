package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A Java Chat client and an @ably/chat (JavaScript) client in one room: messages, their updates and deletes,
 * room reactions, typing and message reactions cross both ways (interop/js/scripts/mixed-chat.mjs).
 */
class MixedChatTest {

    @Test
    void messagesReactionsAndTypingCrossBothWays() throws Exception {
        try (ChatFixture fx = new ChatFixture(TestServer.start())) {
            String name = "mixed-chat";
            ChatClient chat = fx.client("java-user");
            Room room = join(chat.rooms().get(name, RoomOptions.builder().typingHeartbeatThrottle(Duration.ofSeconds(1))
                    .rawMessageReactions(true).build()));
            List<ChatMessageEvent> javaMessages = new CopyOnWriteArrayList<>();
            List<RoomReaction> javaReactions = new CopyOnWriteArrayList<>();
            List<TypingSetEvent> javaTyping = new CopyOnWriteArrayList<>();
            List<MessageReactionSummaryEvent> javaSummaries = new CopyOnWriteArrayList<>();
            room.messages().subscribe(javaMessages::add);
            room.reactions().subscribe(e -> javaReactions.add(e.reaction()));
            room.typing().subscribe(javaTyping::add);
            room.messages().reactions().subscribe(javaSummaries::add);
            List<MessageReactionRawEvent> javaRaw = new CopyOnWriteArrayList<>();
            room.messages().reactions().subscribeRaw(javaRaw::add);
            join(room.attach());

            try (NodeParticipant js = new NodeParticipant("mixed-chat.mjs", fx.server.port(), Map.of("ROOM", name))) {
                js.await(n -> n.path("kind").asText().equals("ready"), "js ready");

                // Java → JS: a message with metadata and headers.
                Message fromJava = join(room.messages().send(MessageParams.builder("hello from java")
                        .metadata(Map.of("lang", "java", "n", List.of(1, 2))).headers(Map.of("h", "v", "flag", true)).build()));
                JsonNode seen = js.await(n -> n.path("kind").asText().equals("message")
                        && n.path("message").path("serial").asText().equals(fromJava.serial()), "js sees java's message").path("message");
                assertThat(seen.path("text").asText()).isEqualTo("hello from java");
                assertThat(seen.path("clientId").asText()).isEqualTo("java-user");
                assertThat(seen.path("metadata")).isEqualTo(NodeParticipant.JSON.valueToTree(Map.of("lang", "java", "n", List.of(1, 2))));
                assertThat(seen.path("headers")).isEqualTo(NodeParticipant.JSON.valueToTree(Map.of("h", "v", "flag", true)));

                // JS → Java.
                JsonNode fromJs = js.call("send", Map.of("text", "hello from js", "metadata", Map.of("lang", "js"),
                        "headers", Map.of("x", 1)));
                String jsSerial = fromJs.path("serial").asText();
                Await.until(() -> javaMessages.stream().anyMatch(e -> e.message().serial().equals(jsSerial)), "java sees js's message");
                Message javaSaw = javaMessages.stream().filter(e -> e.message().serial().equals(jsSerial)).findFirst().orElseThrow().message();
                assertThat(javaSaw.text()).isEqualTo("hello from js");
                assertThat(javaSaw.clientId()).isEqualTo("js-user");
                assertThat(javaSaw.metadata()).isEqualTo(Map.of("lang", "js"));
                assertThat(javaSaw.headers()).isEqualTo(Map.of("x", 1));

                // JS updates Java's message; Java deletes JS's.
                js.call("update", Map.of("serial", fromJava.serial(), "text", "edited by js", "description", "js edit"));
                Await.until(() -> javaMessages.stream().anyMatch(e -> e.type() == ChatMessageEventType.UPDATED
                        && e.message().serial().equals(fromJava.serial())), "java sees js's update");
                Message updated = javaMessages.stream().filter(e -> e.type() == ChatMessageEventType.UPDATED).findFirst().orElseThrow().message();
                assertThat(updated.text()).isEqualTo("edited by js");
                assertThat(updated.version().clientId()).isEqualTo("js-user");
                assertThat(updated.version().description()).isEqualTo("js edit");

                Message deleted = join(room.messages().delete(jsSerial, OperationDetails.builder().description("java delete")
                        .metadata(Map.of("reason", "test")).build()));
                JsonNode jsDeleted = js.await(n -> n.path("kind").asText().equals("message")
                        && n.path("type").asText().equals("message.deleted"), "js sees java's delete").path("message");
                assertThat(jsDeleted.path("serial").asText()).isEqualTo(jsSerial);
                assertThat(jsDeleted.path("action").asText()).isEqualTo("message.delete");
                assertThat(jsDeleted.path("version").path("serial").asText()).isEqualTo(deleted.version().serial());
                assertThat(jsDeleted.path("version").path("clientId").asText()).isEqualTo("java-user");
                assertThat(jsDeleted.path("version").path("description").asText()).isEqualTo("java delete");
                assertThat(jsDeleted.path("version").path("metadata").path("reason").asText()).isEqualTo("test");

                // And the other way round: Java updates, JS deletes.
                Message second = join(room.messages().send("second from java"));
                join(room.messages().update(second.serial(), MessageParams.builder("second, edited by java")
                        .metadata(Map.of("v", 2)).build(), OperationDetails.builder().description("java edit").build()));
                JsonNode jsUpdated = js.await(n -> n.path("kind").asText().equals("message") && n.path("type").asText().equals("message.updated")
                        && n.path("message").path("serial").asText().equals(second.serial()), "js sees java's update").path("message");
                assertThat(jsUpdated.path("text").asText()).isEqualTo("second, edited by java");
                assertThat(jsUpdated.path("metadata").path("v").asInt()).isEqualTo(2);
                assertThat(jsUpdated.path("version").path("clientId").asText()).isEqualTo("java-user");
                assertThat(jsUpdated.path("version").path("description").asText()).isEqualTo("java edit");
                js.call("delete", Map.of("serial", second.serial(), "description", "js delete"));
                Await.until(() -> javaMessages.stream().anyMatch(e -> e.type() == ChatMessageEventType.DELETED
                        && e.message().serial().equals(second.serial())), "java sees js's delete");
                Message jsDelete = javaMessages.stream().filter(e -> e.type() == ChatMessageEventType.DELETED
                        && e.message().serial().equals(second.serial())).findFirst().orElseThrow().message();
                assertThat(jsDelete.version().clientId()).isEqualTo("js-user");
                assertThat(jsDelete.version().description()).isEqualTo("js delete");
                assertThat(jsDelete.clientId()).isEqualTo("java-user");

                // Both histories agree.
                JsonNode jsHistory = js.call("history", Map.of());
                List<Message> javaHistory = join(room.messages().history(HistoryParams.builder().orderBy(OrderBy.OLDEST_FIRST).build())).items();
                assertThat(javaHistory).extracting(Message::serial).containsExactly(fromJava.serial(), jsSerial, second.serial());
                assertThat(jsHistory.findValuesAsText("text")).containsExactly("edited by js", "", "");
                assertThat(javaHistory.get(0).text()).isEqualTo("edited by js");
                assertThat(javaHistory.get(1).isDeleted()).isTrue();

                // Room reactions both ways.
                join(room.reactions().send(RoomReactionParams.builder("🎉").metadata(Map.of("from", "java")).build()));
                JsonNode jsReaction = js.await(n -> n.path("kind").asText().equals("reaction")
                        && n.path("clientId").asText().equals("java-user"), "js sees java's reaction");
                assertThat(jsReaction.path("name").asText()).isEqualTo("🎉");
                assertThat(jsReaction.path("metadata").path("from").asText()).isEqualTo("java");
                assertThat(jsReaction.path("isSelf").asBoolean()).isFalse();
                js.call("react", Map.of("name", "👏", "metadata", Map.of("from", "js")));
                Await.until(() -> javaReactions.stream().anyMatch(r -> r.clientId().equals("js-user")), "java sees js's reaction");
                RoomReaction javaReaction = javaReactions.stream().filter(r -> r.clientId().equals("js-user")).findFirst().orElseThrow();
                assertThat(javaReaction.name()).isEqualTo("👏");
                assertThat(javaReaction.metadata()).isEqualTo(Map.of("from", "js"));

                // Typing both ways.
                join(room.typing().keystroke());
                js.await(n -> n.path("kind").asText().equals("typing") && n.path("change").path("clientId").asText().equals("java-user")
                        && n.path("change").path("type").asText().equals("typing.started"), "js sees java typing");
                join(room.typing().stop());
                js.await(n -> n.path("kind").asText().equals("typing") && n.path("change").path("clientId").asText().equals("java-user")
                        && n.path("change").path("type").asText().equals("typing.stopped"), "js sees java stop");
                js.call("keystroke", Map.of());
                Await.until(() -> room.typing().current().contains("js-user"), "java sees js typing");
                js.call("stop", Map.of());
                Await.until(() -> javaTyping.stream().anyMatch(e -> e.change().clientId().equals("js-user")
                        && e.change().type() == TypingEventType.STOPPED), "java sees js stop");
                assertThat(room.typing().current()).doesNotContain("js-user");

                // Message reactions both ways, as summaries.
                js.call("msgReact", Map.of("serial", fromJava.serial(), "name", "👍"));
                Await.until(() -> javaSummaries.stream().anyMatch(e -> e.messageSerial().equals(fromJava.serial())
                        && e.reactions().distinct().containsKey("👍")), "java sees js's reaction summary");
                Await.until(() -> javaRaw.stream().anyMatch(e -> e.reaction().clientId().equals("js-user")), "java sees js's raw reaction");
                assertThat(javaRaw.get(0).reaction()).isEqualTo(new MessageReactionRawEvent.Reaction(fromJava.serial(),
                        MessageReactionType.DISTINCT, "👍", null, "js-user", null));
                join(room.messages().reactions().send(fromJava.serial(), "❤️", MessageReactionType.MULTIPLE, 2));
                JsonNode raw = js.await(n -> n.path("kind").asText().equals("raw")
                        && n.path("reaction").path("clientId").asText().equals("java-user"), "js sees java's raw reaction");
                assertThat(raw.path("type").asText()).isEqualTo("reaction.create");
                assertThat(raw.path("reaction").path("type").asText()).isEqualTo("multiple");
                assertThat(raw.path("reaction").path("count").asInt()).isEqualTo(2);
                JsonNode summary = js.await(n -> n.path("kind").asText().equals("summary")
                        && n.path("reactions").path("multiple").has("❤️"), "js sees java's reaction summary");
                assertThat(summary.path("serial").asText()).isEqualTo(fromJava.serial());
                assertThat(summary.path("reactions").path("multiple").path("❤️").path("clientIds").path("java-user").asInt()).isEqualTo(2);
                assertThat(summary.path("reactions").path("distinct").path("👍").path("clientIds").toString()).isEqualTo("[\"js-user\"]");
                assertThat(join(room.messages().get(fromJava.serial())).reactions().distinct().get("👍").clientIds()).containsExactly("js-user");

                assertThat(js.finish()).isTrue();
            }
            assertThat(room.typing().current()).isEqualTo(Set.of());
        }
    }
}
