package io.rollcall.server.transport;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * The idle checks of one event loop's WebSockets: one periodic task walks the loop's sessions, instead of a
 * handler and two timers per socket (about 350 bytes each, and a listener on every write). A session that
 * wrote nothing for most of {@code maxIdleInterval} sends a HEARTBEAT, so the client hears from it within the
 * interval; a peer silent for whole intervals is pinged, and dropped after three (see
 * {@link WebSocketSession#idleCheck}). Sessions form an intrusive list touched only on the loop.
 *
 * <p>Each session pings only on its own one of the {@link #CHECKS} steps of an interval (its slot, dealt in
 * turn as sessions arrive). Clients that connected together fall silent together: pinging them all on one step
 * wrote thousands of pings, and read as many pongs, in one burst on the loop, and every delivery queued behind
 * it waited (at 10,000 subscribers, the fan-out's p99 latency tripled).
 */
final class IdleSweep implements Runnable {
    /** Checks per interval: a heartbeat goes out between (1 - 1/CHECKS) and 1 interval after the last write. */
    static final int CHECKS = 8;

    private final EventLoop loop;
    private final long intervalNanos;
    private final long periodNanos;
    private WebSocketSession head;
    private boolean scheduled;
    /** The step of the interval this run is (0 to CHECKS - 1), and the slot the next session gets. */
    private int step;
    private int nextSlot;

    IdleSweep(EventLoop loop, long intervalMs) {
        this.loop = loop;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, intervalMs));
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), intervalNanos / CHECKS);
    }

    /** Starts watching a session (on the loop); its idle clocks start now. */
    void add(WebSocketSession s) {
        assert loop.inEventLoop();
        long now = System.nanoTime();
        s.lastRead = now;
        s.lastWrite = now;
        s.idleNext = head;
        s.idlePrev = null;
        if (head != null) {
            head.idlePrev = s;
        }
        head = s;
        s.idleSweep = this;
        s.idleSlot = nextSlot;
        nextSlot = (nextSlot + 1) % CHECKS;
        if (!scheduled) {
            scheduled = true;
            loop.scheduleAtFixedRate(this, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops watching it (on the loop); a session not in the list is left alone. */
    void remove(WebSocketSession s) {
        assert loop.inEventLoop();
        if (s.idleSweep != this) {
            return;
        }
        if (s.idlePrev != null) {
            s.idlePrev.idleNext = s.idleNext;
        } else {
            head = s.idleNext;
        }
        if (s.idleNext != null) {
            s.idleNext.idlePrev = s.idlePrev;
        }
        s.idlePrev = null;
        s.idleNext = null;
        s.idleSweep = null;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        int turn = step;
        step = (step + 1) % CHECKS;
        for (WebSocketSession s = head; s != null; ) {
            // Read the next one first: the check may close the socket, and a close may unlink it.
            WebSocketSession next = s.idleNext;
            s.idleCheck(now, intervalNanos, periodNanos, turn);
            s = next;
        }
    }
}
