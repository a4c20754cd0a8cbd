package io.rollcall.server.transport;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import io.rollcall.server.core.FanOutScope;
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
 *
 * <p>Within a fan-out (core marks it, {@link FanOutScope}) even joining one by one costs: each join is a write to
 * the loop's queue, memory the loop's own core is reading, and a wake-up whenever the loop had caught up. So the
 * fan-out's thread collects the sockets per loop and hands them over {@value #CHUNK} at a time, and the rest when
 * the fan-out ends.
 */
final class OutboundTurn implements Runnable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboundTurn.class);
    private static final Map<EventLoop, OutboundTurn> TURNS = new ConcurrentHashMap<>();

    private final EventLoop loop;
    /**
     * Lock-free, multi-producer, no allocation per entry once warm. Holds sessions, and the sessions of a
     * fan-out handed over together ({@link Staged}).
     */
    private final Queue<Object> ready = PlatformDependent.newMpscQueue();
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

    /**
     * The session has messages and is not in a turn yet (it holds its own flag). Inside a fan-out on this
     * thread ({@link #SCOPE}) it waits with the fan-out's other sessions for the same loop until the fan-out ends.
     */
    void join(WebSocketSession session) {
        Staging staging = STAGING.get();
        if (staging.depth > 0) {
            staging.add(this, session);
            return;
        }
        hand(session);
    }

    private void hand(Object sessions) {
        ready.offer(sessions);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** At most this many sessions wait in a fan-out before their loop gets them. */
    static final int CHUNK = 256;
    /** A thread that has handed over to more loops than this forgets them all (they are re-learnt on use). */
    private static final int FORGET_AFTER = 16;

    /** Sessions of one fan-out for one loop: the first {@code count} of {@code sessions}. */
    private record Staged(WebSocketSession[] sessions, int count) {
    }

    /** A thread's fan-outs in progress: their sessions by loop, until the outermost ends. */
    private static final class Staging {
        int depth;
        int loops;
        OutboundTurn[] turns = new OutboundTurn[4];
        WebSocketSession[][] sessions = new WebSocketSession[4][];
        int[] counts = new int[4];
        /** Each loop's count at its last hand-over: the size of its next array. */
        int[] last = new int[4];

        void add(OutboundTurn turn, WebSocketSession session) {
            int i = 0;
            while (i < loops && turns[i] != turn) {
                i++;
            }
            if (i == loops) {
                if (loops == turns.length) {
                    turns = java.util.Arrays.copyOf(turns, loops * 2);
                    sessions = java.util.Arrays.copyOf(sessions, loops * 2);
                    counts = java.util.Arrays.copyOf(counts, loops * 2);
                    last = java.util.Arrays.copyOf(last, loops * 2);
                }
                turns[i] = turn;
                loops++;
            }
            WebSocketSession[] list = sessions[i];
            int n = counts[i];
            if (list == null) {
                sessions[i] = list = new WebSocketSession[Math.max(16, last[i])];
            } else if (n == list.length) {
                sessions[i] = list = java.util.Arrays.copyOf(list, n * 2);
            }
            list[n] = session;
            counts[i] = n + 1;
            if (n + 1 == CHUNK) {
                // The loop starts writing while the fan-out goes on: a large audience is not held back whole.
                handOver(i);
            }
        }

        /**
         * Hands each loop its sessions. The array goes with them and the next fan-out starts a fresh (young) one,
         * as large as this one needed: filling a long-lived array would mark a GC card per store.
         */
        void handOver() {
            for (int i = 0; i < loops; i++) {
                handOver(i);
            }
            if (loops > FORGET_AFTER) {
                // Loops of servers stopped in this process: a long-lived thread must not keep their turns.
                java.util.Arrays.fill(turns, null);
                java.util.Arrays.fill(last, 0);
                loops = 0;
            }
        }

        private void handOver(int i) {
            int n = counts[i];
            if (n > 0) {
                WebSocketSession[] list = sessions[i];
                sessions[i] = null;
                counts[i] = 0;
                last[i] = n;
                turns[i].hand(new Staged(list, n));
            }
        }
    }

    private static final FastThreadLocal<Staging> STAGING = new FastThreadLocal<>() {
        @Override
        protected Staging initialValue() {
            return new Staging();
        }
    };

    /** The scope core marks around a fan-out (see {@link FanOutScope}). */
    static final FanOutScope SCOPE = new FanOutScope() {
        @Override
        public void begin() {
            STAGING.get().depth++;
        }

        @Override
        public void end() {
            Staging staging = STAGING.get();
            if (--staging.depth == 0) {
                staging.handOver();
            }
        }
    };

    /**
     * One counter update and one latency sample (the turn's oldest message, its worst) per app per turn: a
     * histogram record costs ~0.2 µs, too much for every socket of a fan-out. Kept in locals of the turn, not in
     * fields: a field written per socket here would share a cache line with what publishers read on every
     * {@link #join}, and bounce between the cores.
     */
    private static void record(AppMeters meters, int written, long oldestPublish) {
        if (meters != null && written > 0) {
            meters.messagesOut(written);
            if (oldestPublish > 0) {
                meters.delivered(System.currentTimeMillis() - oldestPublish);
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        AppMeters meters = null;
        int written = 0;
        long oldestPublish = 0;
        try {
            for (Object next; (next = ready.poll()) != null; ) {
                WebSocketSession[] sessions;
                int count;
                if (next instanceof Staged staged) {
                    sessions = staged.sessions();
                    count = staged.count();
                } else {
                    sessions = null;
                    count = 1;
                }
                for (int i = 0; i < count; i++) {
                    WebSocketSession s = sessions == null ? (WebSocketSession) next : sessions[i];
                    try {
                        int n = s.drain();
                        if (n == 0) {
                            continue;
                        }
                        AppMeters app = s.meters();
                        if (app != meters) {
                            record(meters, written, oldestPublish);
                            meters = app;
                            written = 0;
                            oldestPublish = 0;
                        }
                        written += n;
                        long since = s.drainedSince;
                        if (since > 0 && (oldestPublish == 0 || since < oldestPublish)) {
                            oldestPublish = since;
                        }
                    } catch (RuntimeException e) {
                        // One socket's failure must not strand the others of the turn.
                        log.warn("outbound drain failed", e);
                    }
                }
            }
        } finally {
            record(meters, written, oldestPublish);
        }
    }
}
