package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.failure;
import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** room.occupancy() against the server: REST get, live events, current, and the Flow publisher. */
class ChatOccupancyTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();
    static final RoomOptions EVENTS = RoomOptions.builder().occupancyEvents(true).build();

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void getWorksUnattachedAndCountsConnectionsAndMembers(boolean binary) {
        ChatClient chat = fx.client(TestServer.KEY, "getter", binary, o -> { });
        Room room = join(chat.rooms().get("occ-get-" + binary));
        assertThat(join(room.occupancy().get())).isEqualTo(new OccupancyData(0, 0));
        Room other = join(fx.client(TestServer.KEY, "member", binary, o -> { }).rooms().get("occ-get-" + binary));
        join(other.attach());
        join(other.presence().enter(Map.of()));
        assertThat(join(room.occupancy().get())).isEqualTo(new OccupancyData(1, 1));
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void eventsAndCurrent(boolean binary) {
        String name = "occ-live-" + binary;
        Room room = join(fx.client(TestServer.KEY, "watch", binary, o -> { }).rooms().get(name, EVENTS));
        assertThat(room.occupancy().current()).isEmpty();
        List<OccupancyEvent> events = new CopyOnWriteArrayList<>();
        Subscription s = room.occupancy().subscribe(events::add);
        join(room.attach());
        Await.until(() -> !events.isEmpty(), "first event");
        assertThat(events.get(0).type()).isEqualTo(OccupancyEventType.UPDATED);
        assertThat(events.get(0).type().wireValue()).isEqualTo("occupancy.updated");
        assertThat(events.get(0).occupancy()).isEqualTo(new OccupancyData(1, 0));

        Room other = join(fx.client(TestServer.KEY, "joiner", binary, o -> { }).rooms().get(name));
        join(other.attach());
        join(other.presence().enter(Map.of()));
        Await.until(() -> events.get(events.size() - 1).occupancy().equals(new OccupancyData(2, 1)), "2 and 1");
        assertThat(room.occupancy().current()).contains(events.get(events.size() - 1).occupancy());

        s.unsubscribe();
        int count = events.size();
        join(other.detach());
        Await.until(() -> room.occupancy().current().orElseThrow().equals(new OccupancyData(1, 0)), "current follows");
        assertThat(events).hasSize(count);
    }

    @Test
    void withoutOccupancyEventsSubscribeCurrentAndPublisherAre102108() {
        Room room = join(fx.client("plain").rooms().get("occ-off"));
        for (Runnable call : List.<Runnable>of(
                () -> room.occupancy().subscribe(e -> { }),
                () -> room.occupancy().current(),
                () -> room.occupancy().asPublisher())) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ChatException.class,
                    e -> assertThat(e.errorInfo().code()).isEqualTo(102108));
        }
    }

    @Test
    void getWithoutChannelMetadataIs40160() {
        Room room = join(fx.client(TestServer.LIMITED_KEY, "lim", true, o -> { }).rooms().get("occ-denied"));
        assertThat(failure(room.occupancy().get()).errorInfo().code()).isEqualTo(40160);
    }

    /** A Flow subscriber that records everything and requests only when told to. */
    static final class Recorder implements Flow.Subscriber<OccupancyEvent> {
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final List<OccupancyEvent> items = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(OccupancyEvent item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            errors.add(t);
        }

        @Override
        public void onComplete() {
        }
    }

    @Test
    void thePublisherHonoursDemandConflatesAndCancels() {
        String name = "occ-flow";
        Room room = join(fx.client("flow").rooms().get(name, EVENTS));
        Recorder r = new Recorder();
        room.occupancy().asPublisher().subscribe(r);
        assertThat(r.subscription.get()).isNotNull();
        // Registered after the publisher, on the same serial listener executor: once this listener has seen an
        // event, the publisher has been offered it too (current() alone is set before listeners run).
        List<OccupancyEvent> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        room.occupancy().subscribe(offered::add);
        join(room.attach());
        Await.until(() -> room.occupancy().current().isPresent(), "an event arrived");
        assertThat(r.items).as("no demand, no items").isEmpty();

        r.subscription.get().request(1);
        Await.until(() -> r.items.size() == 1, "one item for one request");
        assertThat(r.items.get(0).occupancy()).isEqualTo(new OccupancyData(1, 0));

        // Three changes while there is no demand: only the latest is kept.
        for (String id : List.of("x1", "x2", "x3")) {
            join(join(fx.client(id).rooms().get(name)).attach());
        }
        Await.until(() -> offered.stream().anyMatch(e -> e.occupancy().connections() == 4), "four connections offered");
        assertThat(r.items).hasSize(1);
        r.subscription.get().request(10);
        Await.until(() -> r.items.size() == 2, "the latest value");
        assertThat(r.items.get(1).occupancy().connections()).isEqualTo(4);

        r.subscription.get().cancel();
        join(join(fx.client("after-cancel").rooms().get(name)).attach());
        Await.until(() -> room.occupancy().current().orElseThrow().connections() == 5, "five connections");
        assertThat(r.items).hasSize(2);
    }

    @Test
    void aNonPositiveRequestIsAnError() {
        Room room = join(fx.client("rule39").rooms().get("occ-rule", EVENTS));
        Recorder r = new Recorder();
        room.occupancy().asPublisher().subscribe(r);
        r.subscription.get().request(0);
        assertThat(r.errors).singleElement().isInstanceOf(IllegalArgumentException.class);
    }
}
