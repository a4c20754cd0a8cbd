package io.rollcall.server.integrations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Per-rule webhook metrics: items delivered, items in failed attempts (later retried), dropped, queue depth. */
final class WebhookMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> depths = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
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
        depths.computeIfAbsent(rule, r -> registry.gauge("rollcall_webhook_queue_depth",
                io.micrometer.core.instrument.Tags.of("webhook", r), new AtomicInteger())).set(depth);
    }

    private Counter counter(String name, String rule) {
        return counters.computeIfAbsent(name + "|" + rule, k -> Counter.builder(name).tag("webhook", rule).register(registry));
    }
}
