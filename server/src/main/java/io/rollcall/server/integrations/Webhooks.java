package io.rollcall.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.server.auth.Keyring;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChannelObserver;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Outbox;
import io.rollcall.server.protocol.PresenceMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook integrations: follows channel events (a {@link ChannelObserver}) and records them in the engine's
 * {@link Outbox} (one stream per rule), from which each rule's {@link WebhookTarget} delivers them. Rules come
 * from the {@code webhooks} section of the config file, which is re-read when the file changes: a valid new
 * set replaces the old (items waiting for a rule id stay with it); an invalid one is logged and ignored.
 */
public final class Webhooks implements ChannelObserver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Keyring keys;
    private final Outbox outbox;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledThreadPoolExecutor scheduler;
    private final WebhookMetrics metrics;
    private final Path configFile;
    private volatile List<WebhookTarget> targets = List.of();
    private long configModified;

    public Webhooks(List<WebhookRule> rules, Keyring keys, Outbox outbox, MeterRegistry registry, Path configFile, Duration reloadEvery) {
        this.keys = keys;
        this.outbox = outbox;
        this.metrics = new WebhookMetrics(registry);
        outbox.onDropped(metrics::dropped);
        this.configFile = configFile;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rollcall-webhooks");
            t.setDaemon(true);
            return t;
        });
        apply(rules);
        if (configFile != null) {
            configModified = modified(configFile);
            scheduler.scheduleWithFixedDelay(this::reloadIfChanged, reloadEvery.toMillis(), reloadEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Parses the {@code webhooks} section (null for none); throws IllegalArgumentException with a clear message. */
    public static List<WebhookRule> parse(JsonNode section, Keyring keys) {
        List<WebhookRule> rules = new ArrayList<>();
        if (section == null || section.isNull() || section.isMissingNode()) {
            return rules;
        }
        if (!section.isArray()) {
            throw new IllegalArgumentException("'webhooks' must be a list of rules");
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode n : section) {
            WebhookRule rule = WebhookRule.parse(n, i++, keys);
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("webhook '" + rule.id() + "': duplicate id");
            }
            rules.add(rule);
        }
        return rules;
    }

    private synchronized void apply(List<WebhookRule> rules) {
        Map<WebhookRule, WebhookTarget> existing = new LinkedHashMap<>();
        for (WebhookTarget t : targets) {
            existing.put(t.rule, t);
        }
        List<WebhookTarget> next = new ArrayList<>();
        for (WebhookRule r : rules) {
            WebhookTarget kept = existing.remove(r);
            next.add(kept != null ? kept : new WebhookTarget(r, outbox, http, scheduler, metrics));
        }
        existing.values().forEach(WebhookTarget::stop);
        targets = List.copyOf(next);
        List<Outbox.Stream> streams = new ArrayList<>();
        for (WebhookTarget t : targets) {
            WebhookRule r = t.rule;
            streams.add(new Outbox.Stream(r.id(), switch (r.source()) {
                case PRESENCE -> Outbox.Source.PRESENCE;
                case OCCUPANCY -> Outbox.Source.OCCUPANCY;
                case LIFECYCLE -> Outbox.Source.LIFECYCLE;
            }, r::matches));
        }
        outbox.streams(streams);
    }

    private void reloadIfChanged() {
        try {
            long m = modified(configFile);
            if (m == configModified) {
                return;
            }
            configModified = m;
            JsonNode root = YAML.readTree(configFile.toFile());
            List<WebhookRule> rules = parse(root == null ? null : root.get("webhooks"), keys);
            apply(rules);
            log.info("webhooks reloaded from {}: {} rules", configFile, rules.size());
        } catch (IOException | RuntimeException e) {
            log.error("webhooks not reloaded: {} ({}); keeping the previous rules", configFile, e.getMessage());
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The rules that serve this app (their own, and those for every app), with their figures. */
    public List<WebhookStats> stats(String appId) {
        List<WebhookStats> out = new ArrayList<>();
        for (WebhookTarget t : targets) {
            if (t.rule.appId() == null || t.rule.appId().equals(appId)) {
                out.add(metrics.stats(t.rule));
            }
        }
        return out;
    }

    int ruleCount() {
        return targets.size();
    }

    // ---- channel events (monitor held: record and return)

    @Override
    public void occupancyChanged(ChannelKey channel, OccupancyMetrics.Snapshot occupancy) {
        outbox.occupancy(channel, occupancy);
    }

    @Override
    public void lifecycleChanged(ChannelKey channel, boolean active, OccupancyMetrics.Snapshot occupancy) {
        outbox.lifecycle(channel, active, occupancy);
    }

    @Override
    public void presenceChanged(ChannelKey channel, List<PresenceMessage> events) {
        outbox.presence(channel, events);
    }

    @Override
    public void close() {
        targets.forEach(WebhookTarget::stop);
        scheduler.shutdownNow();
    }
}
