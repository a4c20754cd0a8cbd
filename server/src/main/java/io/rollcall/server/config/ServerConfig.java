package io.rollcall.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.auth.Keyring;
import io.rollcall.server.integrations.WebhookRule;
import io.rollcall.server.integrations.Webhooks;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a server needs to start. Immutable; build with {@link #builder()}. {@code configFile} (nullable)
 * is re-read for webhook rules while the server runs.
 */
public record ServerConfig(String host, int port, List<ApiKey> keys, Limits limits, int eventLoops,
                           List<WebhookRule> webhooks, Path configFile, String engine, String redisUri,
                           boolean console) {
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (!engine.equals("memory") && !engine.equals("redis")) {
            throw new IllegalArgumentException("engine must be 'memory' or 'redis', was '" + engine + "'");
        }
        if (engine.equals("redis") && (redisUri == null || redisUri.isBlank())) {
            throw new IllegalArgumentException("the redis engine needs a Redis URI (--redis redis://host:port)");
        }
        keys = List.copyOf(keys);
        webhooks = List.copyOf(webhooks);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private List<ApiKey> keys = List.of();
        private Limits limits = Limits.defaults();
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private JsonNode webhooks;
        private Path configFile;
        private String engine = "memory";
        private String redisUri;
        private boolean console = true;
        private String logLevel;
        private String logFormat;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder keys(List<ApiKey> v) { keys = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        public Builder eventLoops(int v) { eventLoops = v; return this; }
        /** The {@code webhooks} section of a config file; checked against the keys at build(). */
        public Builder webhooks(JsonNode section) { webhooks = section; return this; }
        public Builder configFile(Path v) { configFile = v; return this; }
        /** {@code memory} (one node) or {@code redis} (many nodes sharing {@link #redisUri}). */
        public Builder engine(String v) { engine = v; return this; }
        public Builder redisUri(String v) { redisUri = v; return this; }
        /** Whether to serve the operator console at {@code /console} (default on). */
        public Builder console(boolean v) { console = v; return this; }
        /** Process-wide logging (applied by {@code serve}, not part of a server's config): level and text|json. */
        public Builder logLevel(String v) { logLevel = v; return this; }
        public Builder logFormat(String v) { logFormat = v; return this; }
        public String logLevel() { return logLevel; }
        public String logFormat() { return logFormat; }

        public List<ApiKey> keys() {
            return keys;
        }

        public Limits limits() {
            return limits;
        }

        public ServerConfig build() {
            List<WebhookRule> rules = Webhooks.parse(webhooks, new Keyring(keys));
            return new ServerConfig(host, port, keys, limits, eventLoops, rules, configFile, engine, redisUri, console);
        }
    }
}
