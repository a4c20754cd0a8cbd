package io.rollcall.chat;

import io.ably.lib.realtime.AblyRealtime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The entry point of the Java Chat SDK, on an ably-java realtime client that the caller creates, owns and
 * closes. Gives access to {@link #rooms()}, the {@link #connection()} status and the {@link #clientId()}.
 *
 * <pre>{@code
 * ClientOptions o = new ClientOptions("myapp.dev:s3cret");
 * o.realtimeHost = "localhost"; o.restHost = "localhost"; o.port = 8080; o.tls = false;
 * o.clientId = "alice";
 * AblyRealtime realtime = new AblyRealtime(o);
 * try (ChatClient chat = new ChatClient(realtime)) {
 *     Room room = chat.rooms().get("lobby").join();
 *     room.attach().join();
 *     room.presence().enter(Map.of("status", "online")).join();
 * }
 * }</pre>
 *
 * <p>Closing the client releases its rooms and stops its threads; it does not close the realtime client.
 */
public final class ChatClient implements AutoCloseable {
    private final AblyRealtime realtime;
    private final ExecutorService ownListenerThread;
    private final ExecutorService blockingCalls;
    private final Rooms rooms;
    private final Connection connection;

    /** Creates a client on a realtime client, with default options. */
    public ChatClient(AblyRealtime realtime) {
        this(realtime, ChatClientOptions.defaults());
    }

    /** Creates a client on a realtime client, with options. */
    public ChatClient(AblyRealtime realtime, ChatClientOptions options) {
        if (realtime == null) {
            throw new NullPointerException("realtime");
        }
        this.realtime = realtime;
        this.ownListenerThread = options.listenerExecutor() == null
                ? Executors.newSingleThreadExecutor(daemon("rollcall-chat-listeners")) : null;
        // Some ably-java calls block (presence.get waits for sync): they run here, never on the caller's thread.
        this.blockingCalls = Executors.newCachedThreadPool(daemon("rollcall-chat-calls"));
        ChatContext ctx = new ChatContext(realtime,
                new SerialExecutor(ownListenerThread != null ? ownListenerThread : options.listenerExecutor()),
                blockingCalls);
        this.rooms = new Rooms(ctx);
        this.connection = new Connection(ctx);
    }

    /** The rooms of this client. */
    public Rooms rooms() {
        return rooms;
    }

    /** The realtime connection's status. */
    public Connection connection() {
        return connection;
    }

    /** The clientId this client acts as (from its options, token or the server), or null if anonymous. */
    public String clientId() {
        return realtime.auth.clientId;
    }

    /** Releases every room, then stops the client's threads. The realtime client stays open. */
    @Override
    public void close() {
        try {
            rooms.releaseAll().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // Releasing is best effort at close: the rooms are gone from this client either way.
        } finally {
            connection.close();
            blockingCalls.shutdown();
            if (ownListenerThread != null) {
                ownListenerThread.shutdown();
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
