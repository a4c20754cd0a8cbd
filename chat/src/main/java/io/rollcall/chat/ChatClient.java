package io.rollcall.chat;

import io.ably.lib.realtime.AblyRealtime;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * AblyRealtime realtime = new AblyRealtime(o);           // throws the checked AblyException
 * try (ChatClient chat = new ChatClient(realtime)) {
 *     Room room = chat.rooms().get("lobby").join();
 *     room.attach().join();
 *     room.presence().enter(Map.of("status", "online")).join();
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * <ul>
 * <li><b>Futures.</b> A future the SDK returns is either already complete when returned (a failure found at
 *     once, or a room that already exists), or it completes on a thread of this client's completion pool,
 *     named {@value #COMPLETION_THREAD_PREFIX}{@code -N} &mdash; never on ably-java's threads, which the SDK
 *     needs to make progress, and never on the listener executor. Dependent stages without {@code Async} run
 *     there, so they may block on other calls of the SDK:
 *     {@code room.attach().thenApply(v -> room.presence().get().join())} completes. The pool grows as needed,
 *     so a blocked stage never holds up another future. Each call returns a future of its own: completing or
 *     cancelling it affects only the caller's copy, never the operation or the SDK.</li>
 * <li><b>Listeners</b> run on the listener executor ({@link ChatClientOptions.Builder#listenerExecutor}; by
 *     default one daemon thread of the client's own, {@code rollcall-chat-listeners-1}), one event at a time
 *     and in order across all the client's listeners. A listener may block on the SDK's futures.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Invalid arguments throw {@link NullPointerException} or {@link IllegalArgumentException} at the call, and
 * nothing is sent. Other failures complete the future exceptionally with {@link ChatException}, whose
 * {@link ErrorInfo} gives Ably's code (the SDK's own codes are constants of {@link ChatException}).
 *
 * <p>Closing the client releases its rooms and stops its threads; it does not close the realtime client.
 */
public final class ChatClient implements AutoCloseable {
    /**
     * The name prefix of the threads that complete the SDK's futures ({@value}): every future the SDK returns
     * that is not already complete when returned completes on such a thread.
     */
    public static final String COMPLETION_THREAD_PREFIX = "rollcall-chat-async";

    private final AblyRealtime realtime;
    private final ExecutorService ownListenerThread;
    private final ExecutorService blockingCalls;
    private final ScheduledExecutorService timers;
    private final Rooms rooms;
    private final Connection connection;

    /**
     * Creates a client on a realtime client, with default options.
     *
     * @param realtime the ably-java client, owned by the caller
     * @throws NullPointerException if {@code realtime} is null
     */
    public ChatClient(AblyRealtime realtime) {
        this(realtime, ChatClientOptions.defaults());
    }

    /**
     * Creates a client on a realtime client, with options.
     *
     * @param realtime the ably-java client, owned by the caller
     * @param options the client's options
     * @throws NullPointerException if {@code realtime} or {@code options} is null
     */
    public ChatClient(AblyRealtime realtime, ChatClientOptions options) {
        Objects.requireNonNull(realtime, "realtime must not be null");
        Objects.requireNonNull(options, "options must not be null: use ChatClientOptions.defaults()");
        this.realtime = realtime;
        this.ownListenerThread = options.listenerExecutor() == null
                ? Executors.newSingleThreadExecutor(daemon("rollcall-chat-listeners")) : null;
        // Some ably-java calls block (presence.get waits for sync): they run here, never on the caller's thread.
        this.blockingCalls = Executors.newCachedThreadPool(daemon("rollcall-chat-calls"));
        // Completes callers' futures. Unbounded, so a caller blocking in a dependent stage never starves the
        // completion of another future; idle threads end after a few seconds, so it needs no shutdown.
        ThreadPoolExecutor completions = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon(COMPLETION_THREAD_PREFIX));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("rollcall-chat-timers"));
        ChatContext ctx = new ChatContext(realtime,
                new SerialExecutor(ownListenerThread != null ? ownListenerThread : options.listenerExecutor()),
                blockingCalls, completions, timers);
        this.rooms = new Rooms(ctx);
        this.connection = new Connection(ctx);
    }

    /**
     * The rooms of this client.
     *
     * @return the rooms
     */
    public Rooms rooms() {
        return rooms;
    }

    /**
     * The realtime connection's status.
     *
     * @return the connection
     */
    public Connection connection() {
        return connection;
    }

    /**
     * The clientId this client acts as (from its options, token or the server).
     *
     * @return the clientId, or null if anonymous
     */
    public String clientId() {
        return realtime.auth.clientId;
    }

    /**
     * Releases every room (waiting up to 30 seconds), then stops the client's threads. The realtime client
     * stays open. Idle threads of the completion pool end on their own within seconds.
     */
    @Override
    public void close() {
        try {
            rooms.releaseAll().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // Releasing is best effort at close: the rooms are gone from this client either way.
        } finally {
            connection.close();
            blockingCalls.shutdown();
            timers.shutdownNow();
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
