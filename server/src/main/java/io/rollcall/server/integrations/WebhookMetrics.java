package io.rollcall.server.integrations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-rule webhook metrics: items delivered, items in failed attempts (later retried), failed attempts,
 * dropped items, queue depth. Every series of a rule exists (at zero) from the moment the rule is loaded, so
 * dashboards and alerts see it before anything happened.
 */
final class WebhookMetrics {
    private static final String[] COUNTERS = {
        "rollcall_webhook_delivered", "rollcall_webhook_retried", "rollcall_webhook_failed", "rollcall_webhook_dropped"};
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> depths = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the rule's series at zero. */
    void register(String rule) {
        for (String name : COUNTERS) {
            counter(name, rule);
        }
        depth(rule);
    }

    void delivered(String rule, int n) {
        counter("rollcall_webhook_delivered", rule).increment(n);
    }

    void failed(String rule, int n) {
        counter("rollcall_webhook_failed", rule).increment();
        counter("rollcall_webhook_retried", rule).increment(n);
    }

    void dropped(String rule) {
        counter("rollcall_webhook_dropped", rule).increment();
    }

    void queued(String rule, int depth) {
        depth(rule).set(depth);
    }

    /** The rule's figures as its series show them. */
    WebhookStats stats(WebhookRule rule) {
        String id = rule.id();
        return new WebhookStats(id, rule.source().wireName(), rule.url().toString(), rule.appId(),
                rule.channelFilter().pattern(), depth(id).get(),
                (long) counter("rollcall_webhook_delivered", id).count(), (long) counter("rollcall_webhook_retried", id).count(),
                (long) counter("rollcall_webhook_failed", id).count(), (long) counter("rollcall_webhook_dropped", id).count());
    }

    private AtomicInteger depth(String rule) {
        return depths.computeIfAbsent(rule, r -> registry.gauge("rollcall_webhook_queue_depth", Tags.of("webhook", r), new AtomicInteger()));
    }

    private Counter counter(String name, String rule) {
        return counters.computeIfAbsent(name + "|" + rule, k -> Counter.builder(name).tag("webhook", rule).register(registry));
    }
}
