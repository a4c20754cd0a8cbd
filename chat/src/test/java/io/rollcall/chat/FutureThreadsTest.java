package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Futures never complete on a thread the SDK needs: a caller may block on the SDK inside a dependent stage or
 * inside a listener, and the futures complete on the documented completion pool.
 */
class FutureThreadsTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @Test
    void blockingOnTheSdkInsideADependentStageCompletes() {
        Room room = join(fx.client("chainer").rooms().get("chain"));
        List<String> threads = new CopyOnWriteArrayList<>();

        CompletableFuture<List<PresenceMember>> chained = room.attach()
                .thenApply(v -> {
                    threads.add(Thread.currentThread().getName());
                    room.presence().enter(Map.of("step", 1)).join();
                    return room.presence().get().join();
                });
        assertThat(join(chained)).extracting(PresenceMember::clientId).containsExactly("chainer");

        // Every kind of call, each blocking on the next inside its continuation.
        boolean present = join(room.presence().update(Map.of("step", 2))
                .thenApply(v -> {
                    threads.add(Thread.currentThread().getName());
                    return room.occupancy().get().join();
                })
                .thenApply(o -> {
                    threads.add(Thread.currentThread().getName());
                    return room.presence().isUserPresent("chainer").join();
                }));
        assertThat(present).isTrue();
        join(room.presence().leave().thenApply(v -> {
            threads.add(Thread.currentThread().getName());
            return room.detach().join();
        }));
        // A stage registered after its future completed runs on the caller's thread (here the test's): the
        // others ran on the completion pool, never on ably-java's or the listener's threads.
        String caller = Thread.currentThread().getName();
        assertThat(threads).hasSize(4)
                .allSatisfy(t -> assertThat(t.startsWith(ChatClient.COMPLETION_THREAD_PREFIX + "-") || t.equals(caller)).as(t).isTrue())
                .anySatisfy(t -> assertThat(t).startsWith(ChatClient.COMPLETION_THREAD_PREFIX + "-"));
    }

    @Test
    void aListenerMayBlockOnTheSdk() {
        Room watcher = join(fx.client("watcher").rooms().get("blocking-listener"));
        Room other = join(fx.client("other").rooms().get("blocking-listener"));
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        watcher.presence().subscribe(e -> seen.add(watcher.presence().get().join().stream()
                .map(PresenceMember::clientId).sorted().toList()));
        join(watcher.attach());
        join(other.attach());
        join(other.presence().enter());
        Await.until(() -> seen.contains(List.of("other")), "the listener's blocking get() answered");
    }

    @Test
    void completingTheCallersFutureDoesNotTouchTheSdk() {
        ChatClient chat = fx.client("copier");
        Room room = join(chat.rooms().get("copies"));
        CompletableFuture<Void> attach = room.attach();
        attach.complete(null);   // the caller's copy only
        Await.until(() -> room.status() == RoomStatus.ATTACHED, "the real attach went on");

        CompletableFuture<Void> first = chat.rooms().release("copies");
        CompletableFuture<Void> second = chat.rooms().release("copies");
        assertThat(first).isNotSameAs(second);
        first.cancel(true);
        join(second);
        assertThat(room.status()).isEqualTo(RoomStatus.RELEASED);
    }
}
