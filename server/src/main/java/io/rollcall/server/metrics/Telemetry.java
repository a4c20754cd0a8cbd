package io.rollcall.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/** The server's Prometheus metrics: connections, channels, messages in and out, errors by Ably code. */
public final class Telemetry {
    private final MeterRegistry registry;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter presenceIn;
    private final ConcurrentMap<Integer, Counter> errors = new ConcurrentHashMap<>();

    public Telemetry(MeterRegistry registry) {
        this.registry = registry;
        this.messagesIn = Counter.builder("rollcall_messages_in").description("Messages published by clients").register(registry);
        this.messagesOut = Counter.builder("rollcall_messages_out").description("Protocol messages queued to clients").register(registry);
        this.presenceIn = Counter.builder("rollcall_presence_in").description("Presence events sent by clients").register(registry);
    }

    public static Telemetry prometheus() {
        return new Telemetry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public static Telemetry inMemory() {
        return new Telemetry(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    public void messagesIn(int n) {
        messagesIn.increment(n);
    }

    public void messagesOut(int n) {
        messagesOut.increment(n);
    }

    public void presenceIn(int n) {
        presenceIn.increment(n);
    }

    public void error(int code) {
        errors.computeIfAbsent(code, c -> Counter.builder("rollcall_errors")
                .description("Errors sent to clients, by Ably error code")
                .tag("code", Integer.toString(c)).register(registry)).increment();
    }

    /** Prometheus text exposition, or null when the registry is not a Prometheus one. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : null;
    }
}
