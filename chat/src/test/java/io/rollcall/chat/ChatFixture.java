package io.rollcall.chat;

import io.ably.lib.realtime.AblyRealtime;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server and the Chat clients of one test class; everything is closed afterwards. As a JUnit extension
 * ({@code @RegisterExtension static final ChatFixture fx = ChatFixture.perClass();}) it closes after the class.
 */
final class ChatFixture implements AutoCloseable, AfterAllCallback {
    final TestServer server;
    private final List<ChatClient> chats = new ArrayList<>();
    private final List<AblyRealtime> realtimes = new ArrayList<>();

    ChatFixture(TestServer server) {
        this.server = server;
    }

    /** A fixture on a fresh server, closed after the test class when registered as an extension. */
    static ChatFixture perClass() {
        return new ChatFixture(TestServer.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    ChatClient client(String clientId) {
        return client(TestServer.KEY, clientId, true, o -> { });
    }

    ChatClient client(String key, String clientId, boolean binary, Consumer<io.ably.lib.types.ClientOptions> tweak) {
        return client(server.port(), key, clientId, binary, tweak, ChatClientOptions.defaults());
    }

    ChatClient client(int port, String key, String clientId, boolean binary, Consumer<io.ably.lib.types.ClientOptions> tweak,
                      ChatClientOptions options) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(port, key, binary, o -> {
            o.clientId = clientId;
            tweak.accept(o);
        }));
        realtimes.add(rt);
        ChatClient chat = new ChatClient(rt, options);
        chats.add(chat);
        return chat;
    }

    /** A new client's room of that name, attached. */
    Room attachedRoom(String name, String clientId, boolean binary) {
        return attachedRoom(name, clientId, binary, RoomOptions.defaults());
    }

    /** A new client's room of that name with these options, attached. */
    Room attachedRoom(String name, String clientId, boolean binary, RoomOptions options) {
        Room room = join(client(TestServer.KEY, clientId, binary, o -> { }).rooms().get(name, options));
        join(room.attach());
        return room;
    }

    static <T> T join(CompletableFuture<T> f) {
        return Await.get(f);
    }

    /** The ChatException a future fails with. */
    static ChatException failure(CompletableFuture<?> f) {
        try {
            Await.get(f);
        } catch (ChatException e) {
            return e;
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t != null && !(t instanceof ChatException)) {
                t = t.getCause();
            }
            if (t != null) {
                return (ChatException) t;
            }
            throw e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Override
    public void close() {
        chats.forEach(ChatClient::close);
        realtimes.forEach(AblyRealtime::close);
        server.close();
    }
}
