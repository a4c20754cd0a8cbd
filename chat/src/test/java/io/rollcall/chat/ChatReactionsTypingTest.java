package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.failure;
import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** room.reactions(), room.typing() and room.messages().reactions() between two Java clients. */
class ChatReactionsTypingTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void roomReactionsReachEveryoneWithMetadataAndHeaders(boolean binary) {
        String name = "reactions-" + binary;
        Room alice = fx.attachedRoom(name, "alice", binary);
        Room bob = fx.attachedRoom(name, "bob", !binary);
        List<RoomReaction> bobSaw = new CopyOnWriteArrayList<>();
        List<RoomReaction> aliceSaw = new CopyOnWriteArrayList<>();
        bob.reactions().subscribe(e -> bobSaw.add(e.reaction()));
        alice.reactions().subscribe(e -> aliceSaw.add(e.reaction()));

        join(alice.reactions().send(RoomReactionParams.builder("🎉").metadata(Map.of("intensity", 3))
                .headers(Map.of("kind", "party")).build()));
        join(alice.reactions().send("👍"));
        Await.until(() -> bobSaw.size() == 2 && aliceSaw.size() == 2, "both see both reactions");
        RoomReaction party = bobSaw.get(0);
        assertThat(party.name()).isEqualTo("🎉");
        assertThat(party.clientId()).isEqualTo("alice");
        assertThat(party.isSelf()).isFalse();
        assertThat(party.metadata()).isEqualTo(Map.of("intensity", 3));
        assertThat(party.headers()).isEqualTo(Map.of("kind", "party"));
        assertThat(bobSaw.get(1).metadata()).isEmpty();
        assertThat(aliceSaw.get(0).isSelf()).isTrue();

        // Ephemeral: never in message history.
        assertThat(join(bob.messages().history(HistoryParams.defaults())).items()).isEmpty();
        assertThatThrownBy(() -> alice.reactions().send("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typingStartsStopsAndTimesOut() {
        RoomOptions fast = RoomOptions.builder().typingHeartbeatThrottle(Duration.ofMillis(500)).build();
        Room alice = fx.attachedRoom("typing", "alice", true, fast);
        Room bob = fx.attachedRoom("typing", "bob", false, fast);
        List<TypingSetEvent> bobSaw = new CopyOnWriteArrayList<>();
        bob.typing().subscribe(bobSaw::add);

        join(alice.typing().keystroke());
        join(alice.typing().keystroke());   // within the heartbeat interval: nothing sent, no second event
        Await.until(() -> bobSaw.size() == 1, "bob sees alice typing");
        assertThat(bob.typing().current()).containsExactly("alice");
        assertThat(bobSaw.get(0).change()).isEqualTo(new TypingSetEvent.Change("alice", TypingEventType.STARTED, null));
        assertThat(bob.typing().currentTypers()).containsExactly(new TypingMember("alice", null));

        join(alice.typing().stop());
        Await.until(() -> bobSaw.size() == 2, "bob sees alice stop");
        assertThat(bobSaw.get(1).change().type()).isEqualTo(TypingEventType.STOPPED);
        assertThat(bobSaw.get(1).currentlyTyping()).isEmpty();
        join(alice.typing().stop());        // not typing: nothing sent

        // No heartbeat: dropped after the interval plus 2 s.
        join(alice.typing().keystroke());
        Await.until(() -> bobSaw.size() == 4, "bob sees alice start, then time out");
        assertThat(bobSaw.get(3).change()).isEqualTo(new TypingSetEvent.Change("alice", TypingEventType.STOPPED, null));
        assertThat(bob.typing().current()).isEmpty();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void messageReactionsSummariesAndClientReactions(boolean binary) {
        String name = "msg-reactions-" + binary;
        Room alice = fx.attachedRoom(name, "alice", binary);
        Room bob = fx.attachedRoom(name, "bob", !binary);
        List<MessageReactionSummaryEvent> aliceSaw = new CopyOnWriteArrayList<>();
        alice.messages().reactions().subscribe(aliceSaw::add);
        Message m = join(alice.messages().send("react to me"));

        join(bob.messages().reactions().send(m.serial(), "👍"));
        join(alice.messages().reactions().send(m.serial(), "👍"));
        join(bob.messages().reactions().send(m.serial(), "❤️", MessageReactionType.MULTIPLE, 3));
        join(bob.messages().reactions().send(m.serial(), "⭐", MessageReactionType.UNIQUE, 1));
        Await.until(() -> aliceSaw.size() >= 4 && aliceSaw.get(aliceSaw.size() - 1).reactions().unique().containsKey("⭐"),
                "alice sees every summary");
        MessageReactionSummary last = aliceSaw.get(aliceSaw.size() - 1).reactions();
        assertThat(aliceSaw.get(aliceSaw.size() - 1).messageSerial()).isEqualTo(m.serial());
        assertThat(last.distinct().get("👍").total()).isEqualTo(2);
        assertThat(last.distinct().get("👍").clientIds()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(last.multiple().get("❤️").total()).isEqualTo(3);
        assertThat(last.multiple().get("❤️").clientIds()).isEqualTo(Map.of("bob", 3));
        assertThat(last.unique().get("⭐").clientIds()).containsExactly("bob");

        Message withReactions = join(alice.messages().get(m.serial()));
        assertThat(withReactions.reactions()).isEqualTo(last);

        MessageReactionSummary bobs = join(alice.messages().reactions().clientReactions(m.serial(), "bob"));
        assertThat(bobs.distinct().get("👍").clientIds()).containsExactly("bob");
        MessageReactionSummary mine = join(alice.messages().reactions().clientReactions(m.serial(), null));
        assertThat(mine.distinct().get("👍").clientIds()).containsExactly("alice");
        assertThat(mine.multiple()).isEmpty();

        join(bob.messages().reactions().delete(m.serial(), "👍"));
        join(bob.messages().reactions().delete(m.serial(), null, MessageReactionType.UNIQUE));
        Await.until(() -> {
            MessageReactionSummary now = aliceSaw.get(aliceSaw.size() - 1).reactions();
            return now.unique().isEmpty() && now.distinct().get("👍") != null && now.distinct().get("👍").total() == 1;
        }, "alice sees bob's reactions go");
        assertThat(join(alice.messages().history(HistoryParams.defaults())).items().get(0).reactions().distinct().get("👍").clientIds())
                .containsExactly("alice");

        assertThat(failure(bob.messages().reactions().send("01234567890-000@nothing", "👍")).errorInfo().statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> bob.messages().reactions().send(m.serial(), "x", MessageReactionType.MULTIPLE, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bob.messages().reactions().delete(m.serial(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rawMessageReactionsWhenEnabled() {
        RoomOptions raw = RoomOptions.builder().rawMessageReactions(true).defaultMessageReactionType(MessageReactionType.MULTIPLE).build();
        Room alice = fx.attachedRoom("raw-reactions", "alice", true, raw);
        Room bob = fx.attachedRoom("raw-reactions", "bob", false, raw);
        List<MessageReactionRawEvent> aliceSaw = new CopyOnWriteArrayList<>();
        alice.messages().reactions().subscribeRaw(aliceSaw::add);
        Message m = join(alice.messages().send("raw"));

        join(bob.messages().reactions().send(m.serial(), "🔥"));                 // the room's default: multiple, count 1
        join(bob.messages().reactions().send(m.serial(), "👍", MessageReactionType.DISTINCT, 1));
        join(bob.messages().reactions().delete(m.serial(), "👍", MessageReactionType.DISTINCT));
        Await.until(() -> aliceSaw.size() == 3, "alice sees three raw reactions");
        assertThat(aliceSaw).extracting(MessageReactionRawEvent::type).containsExactly(MessageReactionRawEvent.Type.CREATE,
                MessageReactionRawEvent.Type.CREATE, MessageReactionRawEvent.Type.DELETE);
        assertThat(aliceSaw.get(0).reaction()).isEqualTo(new MessageReactionRawEvent.Reaction(m.serial(), MessageReactionType.MULTIPLE,
                "🔥", 1, "bob", null));
        assertThat(aliceSaw.get(2).reaction().type()).isEqualTo(MessageReactionType.DISTINCT);
        assertThat(aliceSaw.get(2).reaction().name()).isEqualTo("👍");

        Room plain = fx.attachedRoom("raw-reactions", "carol", true);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> plain.messages().reactions().subscribeRaw(e -> { }),
                ChatException.class).errorInfo().code()).isEqualTo(ChatException.FEATURE_NOT_ENABLED_IN_ROOM);
    }

    @Test
    void typingAndRoomReactionsNeedAConnection() {
        io.ably.lib.realtime.AblyRealtime rt = io.rollcall.server.testing.AblyJava.connected(
                io.rollcall.server.testing.AblyJava.realtime(fx.server.port(), io.rollcall.server.testing.TestServer.KEY, true,
                        o -> o.clientId = "offline"));
        ChatClient chat = new ChatClient(rt);
        Room room = join(chat.rooms().get("offline"));
        join(room.attach());
        rt.close();
        Await.until(() -> chat.connection().status() == ConnectionStatus.CLOSED, "closed");
        assertThat(failure(room.typing().keystroke()).errorInfo().code()).isEqualTo(ChatException.DISCONNECTED);
        assertThat(failure(room.reactions().send("👋")).errorInfo().code()).isEqualTo(ChatException.DISCONNECTED);
    }
}
