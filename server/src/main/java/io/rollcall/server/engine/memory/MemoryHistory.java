package io.rollcall.server.engine.memory;

import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.HistoryEntry;
import io.rollcall.server.core.HistoryQuery;
import io.rollcall.server.core.HistorySerial;
import io.rollcall.server.core.MessageHistory;
import io.rollcall.server.protocol.BaseMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * History on one node: per channel and kind, a list in serial order holding at most {@code maxMessages}
 * entries younger than {@code retentionMs}. Serials follow the messages' timestamps (never ahead of the node's
 * clock, never going backwards). A
 * sweep drops logs whose entries have all aged out, so idle channels cost nothing. Each log has its own
 * monitor; there is no global lock.
 */
public final class MemoryHistory implements MessageHistory {
    private final Clock clock;
    private final long retentionMs;
    private final int maxMessages;
    private final Map<LogKey, Log> logs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    private record LogKey(ChannelKey channel, Kind kind) {}

    /** One channel's log of one kind (guarded by itself). */
    private static final class Log {
        final List<HistoryEntry> entries = new ArrayList<>();
        HistorySerial last = HistorySerial.ZERO;
        boolean removed;
    }

    public MemoryHistory(Clock clock, long retentionMs, int maxMessages) {
        this.clock = clock;
        this.retentionMs = retentionMs;
        this.maxMessages = maxMessages;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollcall-history-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, Math.min(retentionMs, 30_000));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<List<HistorySerial>> append(ChannelKey channel, Kind kind, List<? extends BaseMessage> messages) {
        LogKey key = new LogKey(channel, kind);
        while (true) {
            Log log = logs.computeIfAbsent(key, k -> new Log());
            synchronized (log) {
                if (log.removed) {
                    continue; // swept meanwhile: take the new one
                }
                long now = clock.millis();
                List<HistorySerial> serials = new ArrayList<>(messages.size());
                for (BaseMessage m : messages) {
                    // At the message's timestamp (never ahead of the clock), so start/end bounds are exact.
                    long at = m.timestamp > 0 ? Math.min(m.timestamp, now) : now;
                    HistorySerial s = at > log.last.ms() ? HistorySerial.atStartOf(at) : log.last.next();
                    log.last = s;
                    log.entries.add(new HistoryEntry(s, m));
                    serials.add(s);
                }
                trim(log, now);
                return CompletableFuture.completedFuture(serials);
            }
        }
    }

    /** Guarded by the log. */
    private void trim(Log log, long now) {
        int drop = Math.max(0, log.entries.size() - maxMessages);
        long oldest = now - retentionMs;
        while (drop < log.entries.size() && log.entries.get(drop).serial().ms() < oldest) {
            drop++;
        }
        if (drop > 0) {
            log.entries.subList(0, drop).clear();
        }
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> query(ChannelKey channel, Kind kind, HistoryQuery q) {
        Log log = logs.get(new LogKey(channel, kind));
        if (log == null || q.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        HistorySerial from = HistorySerial.max(q.from(), HistorySerial.atStartOf(clock.millis() - retentionMs));
        List<HistoryEntry> out = new ArrayList<>(Math.min(q.limit(), 64));
        synchronized (log) {
            List<HistoryEntry> e = log.entries;
            int lo = firstAtOrAfter(e, from);
            int hi = q.to().equals(HistorySerial.MAX) ? e.size() - 1 : firstAtOrAfter(e, q.to().next()) - 1;
            if (q.forwards()) {
                for (int i = lo; i <= hi && out.size() < q.limit(); i++) {
                    out.add(e.get(i));
                }
            } else {
                for (int i = hi; i >= lo && out.size() < q.limit(); i--) {
                    out.add(e.get(i));
                }
            }
        }
        return CompletableFuture.completedFuture(Collections.unmodifiableList(out));
    }

    private static int firstAtOrAfter(List<HistoryEntry> entries, HistorySerial s) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).serial().compareTo(s) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public CompletableFuture<HistorySerial> head(ChannelKey channel, Kind kind) {
        Log log = logs.get(new LogKey(channel, kind));
        if (log == null) {
            return CompletableFuture.completedFuture(HistorySerial.ZERO);
        }
        synchronized (log) {
            return CompletableFuture.completedFuture(log.last);
        }
    }

    /** Drops aged-out entries, and logs left empty. */
    void sweep() {
        long now = clock.millis();
        for (Map.Entry<LogKey, Log> e : logs.entrySet()) {
            Log log = e.getValue();
            synchronized (log) {
                trim(log, now);
                if (log.entries.isEmpty()) {
                    log.removed = true;
                    logs.remove(e.getKey(), log);
                }
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
