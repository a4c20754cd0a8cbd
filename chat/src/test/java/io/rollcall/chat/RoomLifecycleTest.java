package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.failure;
import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RoomLifecycleTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @Test
    void clientExposesClientIdAndConnectionStatus() {
        ChatClient chat = fx.client("ada");
        assertThat(chat.clientId()).isEqualTo("ada");
        assertThat(chat.connection().status()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(chat.connection().error()).isNull();
    }

    @Test
    void roomsAreSharedByNameAndRefuseDifferentOptions() {
        ChatClient chat = fx.client("bo");
        Room a = join(chat.rooms().get("shared"));
        assertThat(join(chat.rooms().get("shared"))).isSameAs(a);
        assertThat(a.name()).isEqualTo("shared");
        assertThat(a.options()).isEqualTo(RoomOptions.defaults());
        ChatException e = failure(chat.rooms().get("shared", RoomOptions.builder().occupancyEvents(true).build()));
        assertThat(e.errorInfo().code()).isEqualTo(102107);
    }

    @Test
    void statusFollowsAttachDetachAndRelease() {
        ChatClient chat = fx.client("cy");
        Room room = join(chat.rooms().get("lifecycle"));
        List<RoomStatus> seen = new CopyOnWriteArrayList<>();
        room.onStatusChange(change -> seen.add(change.current()));
        assertThat(room.status()).isEqualTo(RoomStatus.INITIALIZED);
        join(room.attach());
        assertThat(room.status()).isEqualTo(RoomStatus.ATTACHED);
        join(room.detach());
        assertThat(room.status()).isEqualTo(RoomStatus.DETACHED);
        Await.until(() -> seen.size() >= 4, "four transitions");
        assertThat(seen).containsExactly(RoomStatus.ATTACHING, RoomStatus.ATTACHED, RoomStatus.DETACHING, RoomStatus.DETACHED);

        join(room.attach());
        List<RoomStatus> releasing = new CopyOnWriteArrayList<>();
        room.onStatusChange(change -> releasing.add(change.current()));
        join(chat.rooms().release("lifecycle"));
        assertThat(room.status()).isEqualTo(RoomStatus.RELEASED);
        Await.until(() -> releasing.contains(RoomStatus.RELEASED), "released");
        assertThat(releasing).startsWith(RoomStatus.RELEASING);
        assertThat(failure(room.attach()).errorInfo().code()).isEqualTo(102103);
        Room fresh = join(chat.rooms().get("lifecycle"));
        assertThat(fresh).isNotSameAs(room);
        join(fresh.attach());
        assertThat(fresh.status()).isEqualTo(RoomStatus.ATTACHED);
    }

    @Test
    void aRefusedAttachFailsTheRoomWithTheServersError() {
        ChatClient chat = fx.client(TestServer.LIMITED_KEY, "dee", true, o -> { });
        Room room = join(chat.rooms().get("no-metadata", RoomOptions.builder().occupancyEvents(true).build()));
        ChatException e = failure(room.attach());
        assertThat(e.errorInfo().code()).isEqualTo(40160);
        assertThat(room.status()).isEqualTo(RoomStatus.FAILED);
        assertThat(room.error().code()).isEqualTo(40160);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        ChatClient chat = fx.client("eve");
        Room room = join(chat.rooms().get("isolation"));
        List<RoomStatus> second = new CopyOnWriteArrayList<>();
        room.onStatusChange(change -> {
            throw new IllegalStateException("listener bug");
        });
        room.onStatusChange(change -> second.add(change.current()));
        join(room.attach());
        Await.until(() -> second.contains(RoomStatus.ATTACHED), "second listener still called");
    }

    @Test
    void listenersRunOnTheChosenExecutorInOrder() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "user-pool");
            t.setDaemon(true);
            return t;
        });
        try {
            ChatClient chat = fx.client(fx.server.port(), TestServer.KEY, "finn", true, o -> { },
                    ChatClientOptions.builder().listenerExecutor(pool).build());
            Room room = join(chat.rooms().get("executor"));
            List<String> threads = new CopyOnWriteArrayList<>();
            List<RoomStatus> order = new CopyOnWriteArrayList<>();
            room.onStatusChange(change -> {
                threads.add(Thread.currentThread().getName());
                order.add(change.current());
            });
            join(room.attach());
            join(room.detach());
            Await.until(() -> order.size() == 4, "four transitions");
            assertThat(threads).allMatch(n -> n.equals("user-pool"));
            assertThat(order).containsExactly(RoomStatus.ATTACHING, RoomStatus.ATTACHED, RoomStatus.DETACHING, RoomStatus.DETACHED);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aResumeThatLosesContinuityIsADiscontinuity() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server.port())) {
            ChatClient chat = fx.client(proxy.port(), TestServer.KEY, "gus", true, o -> {
                o.disconnectedRetryTimeout = 100;
                o.suspendedRetryTimeout = 100;
            }, ChatClientOptions.defaults());
            Room room = join(chat.rooms().get("discontinuity"));
            List<ErrorInfo> reasons = new CopyOnWriteArrayList<>();
            room.onDiscontinuity(reasons::add);
            join(room.attach());
            proxy.refuse(true);
            proxy.cut();
            // Away past the server's connection state ttl (10 s in tests): the old connection is gone.
            long ttl = fx.server.rollcall().node().limits().connectionStateTtl().toMillis();
            Await.until(() -> fx.server.rollcall().node().connections().stream().noneMatch(c -> "gus".equals(c.clientId())),
                    "the server forgot the connection after " + ttl + " ms");
            proxy.refuse(false);
            Await.until(() -> !reasons.isEmpty() && room.status() == RoomStatus.ATTACHED, "discontinuity after re-attach");
        }
    }
}
