package io.rollcall.server.integrations;

import io.rollcall.server.protocol.ProtocolCodec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to one rule's URL. Items wait in one ordered, bounded queue; one batch is in flight at a time and
 * a failed batch is retried (exponential backoff with jitter) before anything behind it, so a channel's
 * events arrive in order and none is lost while the receiver is down. Occupancy never overflows: a newer
 * reading for a channel replaces the one still waiting. Presence and lifecycle items past the bound drop the
 * oldest waiting item, counted in {@code rollcall_webhook_dropped}.
 */
final class WebhookTarget {
    private static final Logger log = LoggerFactory.getLogger(WebhookTarget.class);
    static final int MAX_QUEUE = 100_000;
    static final long BACKOFF_BASE_MS = 200;
    static final long BACKOFF_MAX_MS = 15_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** One item of a batch; {@code data} may be replaced while it waits (occupancy coalescing). */
    static final class Item {
        final String id;
        final String channel;
        final String name;
        volatile Object data;
        volatile long timestamp;
        long serial;
        boolean inFlight;

        Item(String id, String channel, String name, Object data, long timestamp) {
            this.id = id;
            this.channel = channel;
            this.name = name;
            this.data = data;
            this.timestamp = timestamp;
        }
    }

    final WebhookRule rule;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final WebhookMetrics metrics;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final Map<String, Item> waitingOccupancy = new HashMap<>();
    private final AtomicLong serials = new AtomicLong();
    private boolean scheduled;
    private boolean sending;
    private int attempt;
    private volatile boolean stopped;

    WebhookTarget(WebhookRule rule, HttpClient http, ScheduledExecutorService scheduler, WebhookMetrics metrics) {
        this.rule = rule;
        this.http = http;
        this.scheduler = scheduler;
        this.metrics = metrics;
        metrics.register(rule.id());
    }

    synchronized void offer(Item item) {
        if (rule.source() == WebhookSource.OCCUPANCY) {
            Item waiting = waitingOccupancy.get(item.channel);
            if (waiting != null && !waiting.inFlight) {
                waiting.data = item.data;
                waiting.timestamp = item.timestamp;
                return;
            }
            waitingOccupancy.put(item.channel, item);
        } else if (queue.size() >= MAX_QUEUE) {
            Item dropped = queue.pollFirst();
            if (dropped != null && dropped.inFlight) {
                queue.addFirst(dropped);
            } else {
                metrics.dropped(rule.id());
            }
        }
        item.serial = serials.incrementAndGet();
        queue.addLast(item);
        metrics.queued(rule.id(), queue.size());
        if (queue.size() >= rule.batchMaxItems()) {
            schedule(0);
        } else {
            schedule(rule.batchMaxAgeMs());
        }
    }

    private void schedule(long delayMs) {
        if (scheduled || sending || stopped) {
            return;
        }
        scheduled = true;
        scheduler.schedule(this::send, delayMs, TimeUnit.MILLISECONDS);
    }

    private void send() {
        List<Item> batch = new ArrayList<>();
        synchronized (this) {
            scheduled = false;
            if (sending || queue.isEmpty() || stopped) {
                return;
            }
            for (Item i : queue) {
                if (batch.size() >= rule.batchMaxItems()) {
                    break;
                }
                i.inFlight = true;
                batch.add(i);
            }
            sending = true;
        }
        byte[] body = body(batch);
        HttpRequest.Builder req = HttpRequest.newBuilder(rule.url()).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", rule.format().contentType())
                .header("X-Ably-Version", "1.2")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (rule.signingKey() != null) {
            req.header("X-Ably-Key", rule.signingKey().keyName());
            req.header("X-Ably-Signature", sign(rule.signingKey().secret(), body));
        }
        rule.headers().forEach(req::header);
        http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((res, t) -> {
            boolean ok = t == null && res.statusCode() >= 200 && res.statusCode() < 300;
            synchronized (this) {
                sending = false;
                if (ok) {
                    attempt = 0;
                    for (Item i : batch) {
                        queue.remove(i);
                        if (waitingOccupancy.get(i.channel) == i) {
                            waitingOccupancy.remove(i.channel);
                        }
                    }
                    metrics.delivered(rule.id(), batch.size());
                    metrics.queued(rule.id(), queue.size());
                    if (!queue.isEmpty()) {
                        schedule(queue.size() >= rule.batchMaxItems() ? 0 : rule.batchMaxAgeMs());
                    }
                } else {
                    for (Item i : batch) {
                        i.inFlight = false;
                    }
                    metrics.failed(rule.id(), batch.size());
                    long backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(attempt++, 16));
                    // Jitter: half to all of the backoff, so many nodes do not retry in step.
                    long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                    log.debug("webhook {} delivery failed ({}); retrying {} items in {} ms", rule.id(),
                            t != null ? t.toString() : "HTTP " + res.statusCode(), batch.size(), delay);
                    schedule(delay);
                }
            }
        });
    }

    private byte[] body(List<Item> batch) {
        List<Map<String, Object>> items = new ArrayList<>(batch.size());
        for (Item i : batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id);
            m.put("webhookId", rule.id());
            m.put("source", rule.source().wireName());
            m.put("timestamp", i.timestamp);
            m.put("serial", Long.toString(i.serial));
            m.put("name", i.name);
            m.put("data", i.data);
            items.add(m);
        }
        return ProtocolCodec.of(rule.format()).encodeValue(Map.of("items", items));
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized int depth() {
        return queue.size();
    }

    void stop() {
        stopped = true;
    }
}
