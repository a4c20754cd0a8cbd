package io.rollcall.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One app's meters, created once and cached by the app, so counting on the hot path is a field read and an
 * add: no lookup, no tags built, no allocation per message.
 */
public final class AppMeters {
    /** Publish-to-delivery buckets: what a realtime SLO is stated in. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

    private final String appId;
    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter presenceIn;
    private final Counter slowConsumers;
    private final Counter rateLimited;
    private final Timer deliveryLatency;

    /** Meters shared by the apps past {@link Telemetry#MAX_APPS_WITH_SERIES}: no per-app gauges. */
    private final boolean shared;

    AppMeters(String appId, MeterRegistry registry, boolean shared) {
        this.appId = appId;
        this.registry = registry;
        this.shared = shared;
        this.messagesIn = Counter.builder("rollcall_messages_in").description("Messages published by clients (realtime and REST)")
                .tag("app", appId).register(registry);
        this.messagesOut = Counter.builder("rollcall_messages_out").description("Protocol messages written to client sockets")
                .tag("app", appId).register(registry);
        this.presenceIn = Counter.builder("rollcall_presence_in").description("Presence events sent by clients")
                .tag("app", appId).register(registry);
        this.slowConsumers = Counter.builder("rollcall_slow_consumer_disconnects")
                .description("Clients disconnected because their outbound queue was full (80020)").tag("app", appId).register(registry);
        this.rateLimited = Counter.builder("rollcall_rate_limited")
                .description("Publishes refused by the per-connection inbound rate limit (42911)").tag("app", appId).register(registry);
        this.deliveryLatency = Timer.builder("rollcall_delivery_latency")
                .description("From a message's publish (its server timestamp) to its write to a subscriber's socket; "
                        + "one sample per socket flush, its oldest message")
                .tag("app", appId).serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        Gauge.builder("rollcall_app_connections", connections, AtomicInteger::get)
                .description("Live connections of the app on this node (including those awaiting resume)").tag("app", appId).register(registry);
    }

    public String appId() {
        return appId;
    }

    /** The app's channel and member counts, read at scrape time from the core's own structures. */
    public void bindChannels(Supplier<Number> channels, Supplier<Number> presenceMembers) {
        if (shared) {
            return;
        }
        Gauge.builder("rollcall_app_channels", channels).description("Channels of the app held by this node")
                .tag("app", appId).strongReference(true).register(registry);
        Gauge.builder("rollcall_app_presence_members", presenceMembers)
                .description("Presence members in the app's channels held by this node (each channel's whole set)")
                .tag("app", appId).strongReference(true).register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
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

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    /**
     * Records a delivery's latency (the transport samples one per flush); a negative one (clocks of two nodes
     * apart) counts as zero.
     */
    public void delivered(long latencyMs) {
        deliveryLatency.record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
    }
}
