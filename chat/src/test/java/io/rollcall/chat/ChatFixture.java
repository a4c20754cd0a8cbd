package io.rollcall.chat;

import io.ably.lib.realtime.AblyRealtime;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A server and the Chat clients of one test class; everything is closed afterwards. */
final class ChatFixture implements AutoCloseable {
    final TestServer server;
    private final List<ChatClient> chats = new ArrayList<>();
    private final List<AblyRealtime> realtimes = new ArrayList<>();

    ChatFixture(TestServer server) {
        this.server = server;
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
