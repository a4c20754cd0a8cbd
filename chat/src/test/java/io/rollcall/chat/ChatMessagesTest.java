package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.failure;
import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** room.messages() against the server, JSON and msgpack: send, get, history, update, delete, versions, events. */
class ChatMessagesTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void sendUpdateDeleteReachSubscribersAndHistory(boolean binary) {
        String name = "messages-" + binary;
        Room alice = fx.attachedRoom(name, "alice", binary);
        Room bob = fx.attachedRoom(name, "bob", !binary);
        List<ChatMessageEvent> events = new CopyOnWriteArrayList<>();
        bob.messages().subscribe(events::add);

        Message sent = join(alice.messages().send(MessageParams.builder("hello")
                .metadata(Map.of("bold", true, "tags", List.of("a", 1)))
                .headers(Map.of("lang", "en", "n", 2)).build()));
        assertThat(sent.serial()).isNotBlank();
        assertThat(sent.clientId()).isEqualTo("alice");
        assertThat(sent.text()).isEqualTo("hello");
        assertThat(sent.action()).isEqualTo(MessageAction.MESSAGE_CREATE);
        assertThat(sent.version().serial()).isEqualTo(sent.serial());
        assertThat(Duration.between(sent.timestamp(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));

        Await.until(() -> events.size() == 1, "bob sees the message");
        Message seen = events.get(0).message();
        assertThat(events.get(0).type()).isEqualTo(ChatMessageEventType.CREATED);
        assertThat(seen.serial()).isEqualTo(sent.serial());
        assertThat(seen.text()).isEqualTo("hello");
        assertThat(seen.clientId()).isEqualTo("alice");
        assertThat(seen.metadata()).isEqualTo(Map.of("bold", true, "tags", List.of("a", 1)));
        assertThat(seen.headers()).isEqualTo(Map.of("lang", "en", "n", 2));
        assertThat(seen.timestamp()).isEqualTo(sent.timestamp());

        Message updated = join(alice.messages().update(sent.serial(), MessageParams.builder("hello!").metadata(Map.of("edited", 1)).build(),
                OperationDetails.builder().description("typo").metadata(Map.of("by", "alice")).build()));
        assertThat(updated.serial()).isEqualTo(sent.serial());
        assertThat(updated.isUpdated()).isTrue();
        assertThat(updated.text()).isEqualTo("hello!");
        assertThat(updated.version().serial()).isGreaterThan(sent.version().serial());
        assertThat(updated.version().description()).isEqualTo("typo");
        assertThat(updated.version().metadata()).isEqualTo(Map.of("by", "alice"));
        assertThat(updated.version().clientId()).isEqualTo("alice");

        Message deleted = join(alice.messages().delete(sent.serial(), OperationDetails.builder().description("oops").build()));
        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.version().serial()).isGreaterThan(updated.version().serial());

        Await.until(() -> events.size() == 3, "bob sees update and delete");
        assertThat(events).extracting(ChatMessageEvent::type)
                .containsExactly(ChatMessageEventType.CREATED, ChatMessageEventType.UPDATED, ChatMessageEventType.DELETED);
        Message bobUpdated = events.get(1).message();
        assertThat(bobUpdated.text()).isEqualTo("hello!");
        assertThat(bobUpdated.metadata()).isEqualTo(Map.of("edited", 1));
        assertThat(bobUpdated.version().description()).isEqualTo("typo");
        assertThat(bobUpdated.version().metadata()).isEqualTo(Map.of("by", "alice"));
        assertThat(bobUpdated.timestamp()).isEqualTo(sent.timestamp());
        assertThat(events.get(2).message().version().serial()).isEqualTo(deleted.version().serial());

        // A list kept up to date from events: each event's version replaces an older one, never a newer one.
        Message followed = seen;
        for (ChatMessageEvent e : events) {
            followed = followed.with(e.message());
        }
        assertThat(followed.isDeleted()).isTrue();
        assertThat(followed.with(seen)).isSameAs(followed);
        Message other = join(alice.messages().send("other"));
        assertThatThrownBy(() -> seen.with(other)).isInstanceOf(IllegalArgumentException.class);

        Message got = join(bob.messages().get(sent.serial()));
        assertThat(got.isDeleted()).isTrue();
        assertThat(got.version().description()).isEqualTo("oops");
        List<Message> versions = join(bob.messages().getVersions(sent.serial())).items();
        assertThat(versions).extracting(Message::action)
                .containsExactly(MessageAction.MESSAGE_CREATE, MessageAction.MESSAGE_UPDATE, MessageAction.MESSAGE_DELETE);
        assertThat(join(bob.messages().history(HistoryParams.defaults())).items())
                .filteredOn(m -> m.serial().equals(sent.serial())).singleElement().satisfies(m -> assertThat(m.isDeleted()).isTrue());
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void historyPagesInBothOrdersWithinATimeWindow(boolean binary) {
        Room room = fx.attachedRoom("history-" + binary, "alice", binary);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(join(room.messages().send("m" + i)));
        }
        PaginatedResult<Message> page = join(room.messages().history(HistoryParams.builder().limit(2).build()));
        List<String> newestFirst = new ArrayList<>();
        int pages = 0;
        while (page != null) {
            pages++;
            page.items().forEach(m -> newestFirst.add(m.text()));
            assertThat(page.isLast()).isEqualTo(!page.hasNext());
            page = join(page.next());
        }
        assertThat(newestFirst).containsExactly("m4", "m3", "m2", "m1", "m0");
        assertThat(pages).isEqualTo(3);

        PaginatedResult<Message> oldest = join(room.messages().history(HistoryParams.builder().orderBy(OrderBy.OLDEST_FIRST).limit(3).build()));
        assertThat(oldest.items()).extracting(Message::text).containsExactly("m0", "m1", "m2");
        assertThat(join(oldest.next()).items()).extracting(Message::text).containsExactly("m3", "m4");

        // Serials order as strings in send order.
        assertThat(sent).extracting(Message::serial).isSorted();

        Instant after = sent.get(4).timestamp().plusMillis(1);
        assertThat(join(room.messages().history(HistoryParams.builder().start(after).build())).items()).isEmpty();
        assertThat(join(room.messages().history(HistoryParams.builder().end(sent.get(0).timestamp()).build())).items())
                .extracting(Message::text).contains("m0").doesNotContain("m4");
    }

    @Test
    void historyBeforeSubscribeGivesWhatCameBeforeTheSubscriptionOnly() {
        Room alice = fx.attachedRoom("before", "alice", true);
        join(alice.messages().send("one"));
        join(alice.messages().send("two"));
        Room bob = fx.attachedRoom("before", "bob", false);
        List<ChatMessageEvent> live = new CopyOnWriteArrayList<>();
        MessageSubscription sub = bob.messages().subscribe(live::add);
        join(alice.messages().send("three"));
        Await.until(() -> live.size() == 1, "live message");

        PaginatedResult<Message> before = join(sub.historyBeforeSubscribe(HistoryParams.defaults()));
        assertThat(before.items()).extracting(Message::text).containsExactly("two", "one");
        assertThat(live.get(0).message().text()).isEqualTo("three");

        // Subscribing before attaching: the point is the attach point.
        Room carol = join(fx.client("carol").rooms().get("before"));
        MessageSubscription early = carol.messages().subscribe(e -> { });
        join(carol.attach());
        join(alice.messages().send("four"));
        assertThat(join(early.historyBeforeSubscribe(HistoryParams.builder().limit(10).build())).items())
                .extracting(Message::text).containsExactly("three", "two", "one");

        sub.unsubscribe();
        assertThat(failure(sub.historyBeforeSubscribe(HistoryParams.defaults())).errorInfo().code())
                .isEqualTo(ChatException.LISTENER_NOT_SUBSCRIBED);
    }

    @Test
    void errorsCarryTheServersCodeAndArgumentsAreChecked() {
        Room room = fx.attachedRoom("errors", "alice", true);
        ChatException unknown = failure(room.messages().get("01234567890-000@nothing"));
        assertThat(unknown.errorInfo().statusCode()).isEqualTo(404);
        assertThat(failure(room.messages().update("01234567890-000@nothing", MessageParams.of("x"))).errorInfo().code()).isEqualTo(40400);

        Message mine = join(room.messages().send("mine"));
        Room bob = fx.attachedRoom("errors", "bob", false);
        assertThat(join(bob.messages().get(mine.serial())).text()).isEqualTo("mine");

        assertThatThrownBy(() -> room.messages().send((String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> room.messages().get("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageParams.builder("x").metadata(Map.of("bad", new Object()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageParams.builder("x").headers(Map.of("nested", Map.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HistoryParams.builder().limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> room.messages().subscribe(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aSubscriptionWaitingForItsPointFailsWhenTheRoomIsReleased() {
        ChatClient chat = fx.client("releaser");
        Room room = join(chat.rooms().get("released"));
        MessageSubscription sub = room.messages().subscribe(e -> { });
        java.util.concurrent.CompletableFuture<PaginatedResult<Message>> before = sub.historyBeforeSubscribe(HistoryParams.defaults());
        join(chat.rooms().release("released"));
        assertThat(failure(before).errorInfo().code()).isEqualTo(ChatException.ROOM_IS_RELEASED);
    }
}
