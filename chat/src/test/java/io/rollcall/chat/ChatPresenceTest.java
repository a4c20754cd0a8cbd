package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.failure;
import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** room.presence() against the server, JSON and msgpack. */
class ChatPresenceTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void enterUpdateLeaveGetAndIsUserPresent(boolean binary) {
        String name = "presence-" + binary;
        Room alice = fx.attachedRoom(name, "alice", binary);
        Room bob = fx.attachedRoom(name, "bob", !binary);
        List<PresenceEvent> events = new CopyOnWriteArrayList<>();
        bob.presence().subscribe(events::add);

        join(alice.presence().enter(Map.of("status", "online", "nickname", "Alice")));
        join(alice.presence().update(Map.of("status", "away", "tags", List.of("a", "b"))));
        Await.until(() -> events.size() == 2, "enter and update");
        assertThat(events).extracting(PresenceEvent::type).containsExactly(PresenceEventType.ENTER, PresenceEventType.UPDATE);
        PresenceMember m = events.get(1).member();
        assertThat(m.clientId()).isEqualTo("alice");
        assertThat(m.connectionId()).isNotBlank();
        assertThat(m.data()).asInstanceOf(MAP).containsEntry("status", "away").containsEntry("tags", List.of("a", "b"));
        assertThat(Duration.between(m.updatedAt(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));

        assertThat(join(bob.presence().get())).extracting(PresenceMember::clientId).containsExactly("alice");
        assertThat(join(bob.presence().get(PresenceParams.builder().clientId("alice").build()))).hasSize(1);
        assertThat(join(bob.presence().get(PresenceParams.builder().connectionId(m.connectionId()).build()))).hasSize(1);
        assertThat(join(bob.presence().get(PresenceParams.builder().clientId("nobody").waitForSync(false).build()))).isEmpty();
        assertThat(join(bob.presence().isUserPresent("alice"))).isTrue();
        assertThat(join(bob.presence().isUserPresent("bob"))).isFalse();

        join(alice.presence().leave(Map.of("status", "gone")));
        Await.until(() -> events.size() == 3, "leave");
        assertThat(events.get(2).type()).isEqualTo(PresenceEventType.LEAVE);
        assertThat(events.get(2).member().data()).asInstanceOf(MAP).containsEntry("status", "gone");
        assertThat(join(bob.presence().isUserPresent("alice"))).isFalse();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void aLateJoinerSeesPresentMembers(boolean binary) {
        String name = "late-" + binary;
        Room early = fx.attachedRoom(name, "early", binary);
        join(early.presence().enter(Map.of("n", 1)));
        ChatClient chat = fx.client(TestServer.KEY, "late", binary, o -> { });
        Room late = join(chat.rooms().get(name));
        List<PresenceEvent> events = new CopyOnWriteArrayList<>();
        late.presence().subscribe(events::add);
        join(late.attach());
        Await.until(() -> events.stream().anyMatch(e -> e.type() == PresenceEventType.PRESENT), "present event");
        PresenceEvent present = events.stream().filter(e -> e.type() == PresenceEventType.PRESENT).findFirst().orElseThrow();
        assertThat(present.member().clientId()).isEqualTo("early");
        assertThat(present.member().data()).asInstanceOf(MAP).isEqualTo(Map.of("n", 1));
        assertThat(PresenceEventType.PRESENT.wireValue()).isEqualTo("present");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void presenceNeedsAnAttachedRoom(boolean binary) {
        ChatClient chat = fx.client(TestServer.KEY, "idle", binary, o -> { });
        Room room = join(chat.rooms().get("unattached-" + binary));
        assertThat(failure(room.presence().enter(Map.of())).errorInfo().code()).isEqualTo(102112);
        assertThat(failure(room.presence().update(Map.of())).errorInfo().code()).isEqualTo(102112);
        assertThat(failure(room.presence().leave()).errorInfo().code()).isEqualTo(102112);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void subscribeNeedsPresenceEvents(boolean binary) {
        ChatClient chat = fx.client(TestServer.KEY, "quiet", binary, o -> { });
        Room room = join(chat.rooms().get("quiet-" + binary, RoomOptions.builder().presenceEvents(false).build()));
        assertThatThrownBy(() -> room.presence().subscribe(e -> { }))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.errorInfo().code()).isEqualTo(102108));
        join(room.attach());
        join(room.presence().enter(Map.of("still", "can enter")));
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void serverErrorsReachTheFuture(boolean binary) {
        ChatClient chat = fx.client(TestServer.LIMITED_KEY, "limited", binary, o -> { });
        Room room = join(chat.rooms().get("limited-" + binary));
        join(room.attach());
        ChatException e = failure(room.presence().enter(Map.of()));
        assertThat(e.errorInfo().code()).isEqualTo(40160);
        assertThat(e.errorInfo().statusCode()).isEqualTo(401);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void unsubscribeStopsOneListenerAndAThrowingListenerStopsNone(boolean binary) {
        String name = "listeners-" + binary;
        Room watcher = fx.attachedRoom(name, "watcher", binary);
        List<PresenceEvent> kept = new CopyOnWriteArrayList<>();
        List<PresenceEvent> dropped = new CopyOnWriteArrayList<>();
        watcher.presence().subscribe(e -> {
            throw new IllegalStateException("listener bug");
        });
        watcher.presence().subscribe(kept::add);
        Subscription s = watcher.presence().subscribe(dropped::add);
        Room actor = fx.attachedRoom(name, "actor", binary);
        join(actor.presence().enter(Map.of("a", 1)));
        Await.until(() -> kept.size() == 1 && dropped.size() == 1, "both see the enter");
        s.unsubscribe();
        s.unsubscribe();
        join(actor.presence().update(Map.of("a", 2)));
        Await.until(() -> kept.size() == 2, "kept listener sees the update");
        assertThat(dropped).hasSize(1);
    }
}
