package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.failure;
import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.testing.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's edges: update() without data, and arguments checked at the call (NullPointerException or
 * IllegalArgumentException with a message, nothing sent), while state and server failures come in the future.
 */
class ApiEdgesTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @Test
    void updateWithoutDataClearsIt() {
        Room alice = join(fx.client("alice").rooms().get("no-data"));
        Room bob = join(fx.client("bob").rooms().get("no-data"));
        List<PresenceEvent> events = new CopyOnWriteArrayList<>();
        bob.presence().subscribe(events::add);
        join(alice.attach());
        join(bob.attach());

        join(alice.presence().enter(Map.of("status", "online")));
        join(alice.presence().update());
        Await.until(() -> events.stream().anyMatch(e -> e.type() == PresenceEventType.UPDATE), "the update");
        PresenceEvent update = events.stream().filter(e -> e.type() == PresenceEventType.UPDATE).findFirst().orElseThrow();
        assertThat(update.member().data()).isNull();
        assertThat(join(bob.presence().get())).singleElement().extracting(PresenceMember::data).isNull();
    }

    @Test
    void nullAndInvalidArgumentsThrowAtTheCall() {
        ChatClient chat = fx.client("checker");
        Room room = join(chat.rooms().get("checks"));
        join(room.attach());
        Presence presence = room.presence();

        assertThatThrownBy(() -> presence.get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("params");
        assertThatThrownBy(() -> presence.isUserPresent(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("clientId");
        assertThatThrownBy(() -> presence.isUserPresent("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
        assertThatThrownBy(() -> PresenceParams.builder().connectionId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> presence.subscribe(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("listener");
        assertThatThrownBy(() -> room.onStatusChange(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> presence.enter(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON value").hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> presence.update(Map.of("when", java.time.Instant.now()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.when");
        assertThatThrownBy(() -> presence.update(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> presence.leave(List.of(Double.NaN))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> chat.rooms().get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> chat.rooms().get("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chat.rooms().get("x", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("options");
        assertThatThrownBy(() -> chat.rooms().release(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChatClient(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("realtime");

        // Nothing was sent by the refused calls: the member set is still empty.
        assertThat(join(presence.get())).isEmpty();
        assertThat(join(presence.isUserPresent("nobody"))).isFalse();
    }

    @Test
    void argumentsAreCheckedBeforeTheRoomState() {
        ChatClient chat = fx.client("early");
        Room room = join(chat.rooms().get("not-attached"));
        // A bad argument is a programming error whatever the state; the state itself fails the future (102112).
        assertThatThrownBy(() -> room.presence().isUserPresent(null)).isInstanceOf(NullPointerException.class);
        assertThat(failure(room.presence().isUserPresent("someone")).errorInfo().code()).isEqualTo(ChatException.ROOM_IN_INVALID_STATE);
        assertThat(failure(room.presence().update()).errorInfo().code()).isEqualTo(102112);

        join(chat.rooms().release("not-attached"));
        ChatException released = failure(room.presence().enter());
        assertThat(released.errorInfo().code()).isEqualTo(ChatException.ROOM_IS_RELEASED);
        assertThat(failure(room.attach()).errorInfo().code()).isEqualTo(102103);
    }
}
