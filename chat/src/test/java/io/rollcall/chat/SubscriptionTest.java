package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Subscriptions: one per call, idempotent, AutoCloseable, and nothing runs after unsubscribe() returns. */
class SubscriptionTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @Test
    void theSameListenerTwiceIsTwoIndependentSubscriptions() {
        Room watcher = fx.attachedRoom("twice", "w1", true);
        Room actor = fx.attachedRoom("twice", "a1", true);
        List<PresenceEventType> calls = new CopyOnWriteArrayList<>();
        PresenceListener listener = e -> calls.add(e.type());
        Subscription first = watcher.presence().subscribe(listener);
        Subscription second = watcher.presence().subscribe(listener);
        assertThat(first).isNotSameAs(second);

        join(actor.presence().enter());
        Await.until(() -> calls.size() == 2, "both subscriptions called");

        first.unsubscribe();
        first.unsubscribe();   // idempotent: must not remove the other one
        join(actor.presence().update("x"));
        Await.until(() -> calls.size() == 3, "the second subscription still called");

        second.close();        // AutoCloseable
        join(actor.presence().update("y"));
        // A marker subscribed after the update was sent: once it sees the leave, the earlier update was dispatched too.
        List<PresenceEventType> marker = new CopyOnWriteArrayList<>();
        watcher.presence().subscribe(e -> marker.add(e.type()));
        join(actor.presence().leave());
        Await.until(() -> marker.contains(PresenceEventType.LEAVE), "leave seen");
        assertThat(calls).containsExactly(PresenceEventType.ENTER, PresenceEventType.ENTER, PresenceEventType.UPDATE);
    }

    @Test
    void tryWithResourcesUnsubscribes() {
        Room watcher = fx.attachedRoom("closing", "w2", true);
        Room actor = fx.attachedRoom("closing", "a2", true);
        List<PresenceEvent> calls = new CopyOnWriteArrayList<>();
        try (Subscription s = watcher.presence().subscribe(calls::add)) {
            join(actor.presence().enter());
            Await.until(() -> calls.size() == 1, "enter seen while subscribed");
        }
        List<PresenceEvent> marker = new CopyOnWriteArrayList<>();
        watcher.presence().subscribe(marker::add);
        join(actor.presence().leave());
        Await.until(() -> marker.size() == 1, "leave seen by the marker");
        assertThat(calls).hasSize(1);
    }

    @Test
    void queuedEventsDoNotRunAfterUnsubscribeReturns() throws Exception {
        Room watcher = fx.attachedRoom("queued", "w3", true);
        Room actor = fx.attachedRoom("queued", "a3", true);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<PresenceEvent> late = new CopyOnWriteArrayList<>();
        // The first listener holds the (serial) listener thread, so the second one's events queue up behind it.
        watcher.presence().subscribe(e -> {
            blocking.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        Subscription queued = watcher.presence().subscribe(late::add);

        join(actor.presence().enter());
        assertThat(blocking.await(20, TimeUnit.SECONDS)).isTrue();
        join(actor.presence().update("1"));
        join(actor.presence().update("2"));
        // Both updates are dispatched (hence queued) once a later event reaches a fresh listener.
        List<PresenceEvent> marker = new CopyOnWriteArrayList<>();
        ChatClient observer = fx.client("observer3");
        Room observed = join(observer.rooms().get("queued"));
        observed.presence().subscribe(marker::add);
        join(observed.attach());
        join(actor.presence().update("3"));
        Await.until(() -> marker.stream().anyMatch(e -> "3".equals(e.member().data())), "the updates were received");

        queued.unsubscribe();
        release.countDown();
        // Let the listener thread drain: a new subscription on the same client sees a later event.
        List<PresenceEvent> after = new CopyOnWriteArrayList<>();
        watcher.presence().subscribe(after::add);
        join(actor.presence().update("4"));
        Await.until(() -> after.stream().anyMatch(e -> "4".equals(e.member().data())), "the listener thread drained");
        assertThat(late).isEmpty();
    }
}
