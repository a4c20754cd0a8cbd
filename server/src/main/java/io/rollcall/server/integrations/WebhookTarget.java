package io.rollcall.server.integrations;

import io.rollcall.server.core.Outbox;
import io.rollcall.server.protocol.ProtocolCodec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery of one rule's items to its URL. The rule's stream is split into {@link Outbox#SHARDS} shards by
 * channel; this node sends the shards it owns (the engine decides: every shard with the memory engine, in a
 * cluster those whose lease it holds). Each shard has one batch in flight at a time, and a failed batch is
 * re-sent unchanged (exponential backoff with jitter) before anything behind it, so a channel's items arrive
 * in order and none is lost while the receiver is down. A stalled request holds only its own shard.
 */
final class WebhookTarget {
    private static final Logger log = LoggerFactory.getLogger(WebhookTarget.class);
    static final long BACKOFF_BASE_MS = 200;
    static final long BACKOFF_MAX_MS = 5_000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How often a shard this node does not own (or that was empty) is looked at again, at most. */
    static final long IDLE_POLL_MAX_MS = 200;

    final WebhookRule rule;
    private final Outbox outbox;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final WebhookMetrics metrics;
    private final AtomicLongArray depths = new AtomicLongArray(Outbox.SHARDS);
    private volatile boolean stopped;

    WebhookTarget(WebhookRule rule, Outbox outbox, HttpClient http, ScheduledExecutorService scheduler, WebhookMetrics metrics) {
        this.rule = rule;
        this.outbox = outbox;
        this.http = http;
        this.scheduler = scheduler;
        this.metrics = metrics;
        metrics.register(rule.id());
        for (int shard = 0; shard < Outbox.SHARDS; shard++) {
            int s = shard;
            scheduler.execute(() -> poll(s, 0));
        }
    }

    private long idlePoll() {
        return Math.max(10, Math.min(IDLE_POLL_MAX_MS, rule.batchMaxAgeMs()));
    }

    private void later(Runnable r, long delayMs) {
        if (!stopped) {
            try {
                scheduler.schedule(r, delayMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /** Claims the shard's oldest items if this node owns it, and sends them; else looks again soon. */
    private void poll(int shard, int attempt) {
        if (stopped) {
            return;
        }
        if (!outbox.owns(rule.id(), shard)) {
            later(() -> poll(shard, 0), idlePoll());
            return;
        }
        outbox.claim(rule.id(), shard, rule.batchMaxItems()).whenComplete((claim, e) -> {
            if (e != null || claim.items().isEmpty()) {
                if (claim != null) {
                    depth(shard, claim.depth());
                }
                later(() -> poll(shard, 0), idlePoll());
                return;
            }
            depth(shard, claim.depth());
            send(shard, claim.items(), attempt);
        });
    }

    private void depth(int shard, long depth) {
        depths.set(shard, depth);
        long sum = 0;
        for (int i = 0; i < depths.length(); i++) {
            sum += depths.get(i);
        }
        metrics.queued(rule.id(), (int) Math.min(Integer.MAX_VALUE, sum));
    }

    private void send(int shard, List<Outbox.Item> batch, int attempt) {
        if (stopped) {
            return;
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
            if (ok) {
                metrics.delivered(rule.id(), batch.size());
                // Acknowledged before the next claim, so the next batch starts after this one.
                outbox.ack(rule.id(), shard, batch).whenComplete((v, e) -> poll(shard, 0));
                return;
            }
            metrics.failed(rule.id(), batch.size());
            long backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(attempt, 16));
            // Jitter: half to all of the backoff, so many nodes do not retry in step.
            long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            log.debug("webhook {} shard {} delivery failed ({}); retrying {} items in {} ms", rule.id(), shard,
                    t != null ? t.toString() : "HTTP " + res.statusCode(), batch.size(), delay);
            // The same items again (never a newer version of one): still this node's to send?
            later(() -> {
                if (outbox.owns(rule.id(), shard)) {
                    send(shard, batch, attempt + 1);
                } else {
                    poll(shard, 0);
                }
            }, delay);
        });
    }

    private byte[] body(List<Outbox.Item> batch) {
        List<Map<String, Object>> items = new ArrayList<>(batch.size());
        for (Outbox.Item i : batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("webhookId", rule.id());
            m.put("source", rule.source().wireName());
            m.put("timestamp", i.timestamp());
            m.put("serial", Long.toString(i.serial()));
            m.put("name", WebhookItems.name(i));
            m.put("data", WebhookItems.data(i));
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

    void stop() {
        stopped = true;
    }
}
