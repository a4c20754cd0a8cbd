package io.rollcall.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The server's metrics (Prometheus at {@code /metrics}): the JVM, GC, thread and process binders, node-wide
 * gauges, errors and auth failures by Ably code, and per-app meters ({@link AppMeters}). Every series is
 * listed in the README.
 */
public final class Telemetry implements AutoCloseable {
    /** Apps with series of their own; later ones share {@link #OTHER_APPS}, so series stay bounded. */
    public static final int MAX_APPS_WITH_SERIES = 100;
    public static final String OTHER_APPS = "_other";
    private final MeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ConcurrentMap<Integer, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Counter> authFailures = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AppMeters> apps = new ConcurrentHashMap<>();

    public Telemetry(MeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
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
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    /** The app's meters; the core keeps the result (one lookup per app, never per message). */
    public AppMeters app(String appId) {
        AppMeters m = apps.get(appId);
        if (m != null) {
            return m;
        }
        if (apps.size() >= MAX_APPS_WITH_SERIES) {
            return apps.computeIfAbsent(OTHER_APPS, id -> new AppMeters(id, registry, true));
        }
        return apps.computeIfAbsent(appId, id -> new AppMeters(id, registry, false));
    }

    public void error(int code) {
        errors.computeIfAbsent(code, c -> Counter.builder("rollcall_errors")
                .description("Errors sent to clients, by Ably error code")
                .tag("code", Integer.toString(c)).register(registry)).increment();
    }

    /** A connection or request refused for its credentials (401xx, 403xx), counted by Ably error code. */
    public void authFailure(int code) {
        authFailures.computeIfAbsent(code, c -> Counter.builder("rollcall_auth_failures")
                .description("Connections and REST requests refused for their credentials, by Ably error code")
                .tag("code", Integer.toString(c)).register(registry)).increment();
    }

    /** Whether an Ably error code is about credentials (missing, wrong, expired, not permitted). */
    public static boolean isAuthCode(int code) {
        return (code >= 40100 && code < 40200) || (code >= 40300 && code < 40400);
    }

    /** Prometheus text exposition, or null when the registry is not a Prometheus one. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : null;
    }

    @Override
    public void close() {
        gc.close();
    }
}
