package io.rollcall.server.transport;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import io.rollcall.server.metrics.AppMeters;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event loop's sockets with outbound messages waiting. A fan-out queues a message for thousands of sockets
 * from one thread; each socket's loop must write it, and a task (and a wake-up) per socket per message would
 * cost more than the write. Instead a socket with something new joins its loop's turn, and the loop runs one task
 * per turn that drains every socket in it. Unbounded by design: a socket is in it at most once at a time.
 */
final class OutboundTurn implements Runnable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboundTurn.class);
    private static final Map<EventLoop, OutboundTurn> TURNS = new ConcurrentHashMap<>();

    private final EventLoop loop;
    /** Lock-free, multi-producer, no allocation per entry once warm. */
    private final Queue<WebSocketSession> ready = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private OutboundTurn(EventLoop loop) {
        this.loop = loop;
    }

    /** The turn of the loop; forgotten when the loop ends. */
    static OutboundTurn of(EventLoop loop) {
        OutboundTurn turn = TURNS.get(loop);
        if (turn != null) {
            return turn;
        }
        return TURNS.computeIfAbsent(loop, l -> {
            l.terminationFuture().addListener(f -> TURNS.remove(l));
            return new OutboundTurn(l);
        });
    }

    /** The session has messages and is not in a turn yet (it holds its own flag). */
    void join(WebSocketSession session) {
        ready.offer(session);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** Messages written this turn for one app, and the oldest publish time among them; loop only. */
    private AppMeters meters;
    private int written;
    private long oldestPublish;

    /** A drain wrote {@code n} messages of the app, the oldest published at {@code publishedAt} (0: none). */
    void count(AppMeters app, int n, long publishedAt) {
        if (app != meters) {
            record();
            meters = app;
        }
        written += n;
        if (publishedAt > 0 && (oldestPublish == 0 || publishedAt < oldestPublish)) {
            oldestPublish = publishedAt;
        }
    }

    /**
     * One counter update and one latency sample (the turn's oldest message, its worst) per app per turn: a
     * histogram record costs ~0.2 µs, too much for every socket of a fan-out.
     */
    private void record() {
        if (meters != null && written > 0) {
            meters.messagesOut(written);
            if (oldestPublish > 0) {
                meters.delivered(System.currentTimeMillis() - oldestPublish);
            }
        }
        meters = null;
        written = 0;
        oldestPublish = 0;
    }

    @Override
    public void run() {
        scheduled.set(false);
        try {
            for (WebSocketSession s; (s = ready.poll()) != null; ) {
                try {
                    s.drain();
                } catch (RuntimeException e) {
                    // One socket's failure must not strand the others of the turn.
                    log.warn("outbound drain failed", e);
                }
            }
        } finally {
            record();
        }
    }
}
