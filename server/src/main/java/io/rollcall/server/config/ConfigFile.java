package io.rollcall.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rollcall.server.auth.ApiKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML (or JSON) config file into a {@link ServerConfig.Builder}. Unknown keys are errors, so a typo
 * fails at start rather than being silently ignored.
 */
public final class ConfigFile {
    private ConfigFile() {}

    public static ServerConfig.Builder read(Path file, ServerConfig.Builder into) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        into.configFile(file);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping at the top level");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "host" -> into.host(v.asText());
                case "port" -> into.port(v.asInt());
                case "eventLoops" -> into.eventLoops(v.asInt());
                case "keys" -> into.keys(keys(file, v));
                case "limits" -> into.limits(limits(file, v));
                case "webhooks" -> into.webhooks(v);
                case "engine" -> into.engine(v.asText());
                case "redis" -> into.redisUri(v.asText());
                case "console" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException(file + ": 'console' must be true or false");
                    }
                    into.console(v.asBoolean());
                }
                case "logLevel" -> into.logLevel(v.asText());
                case "logFormat" -> into.logFormat(v.asText());
                default -> throw new IllegalArgumentException(file + ": unknown setting '" + e.getKey()
                        + "' (known: host, port, eventLoops, keys, limits, webhooks, engine, redis, console, logLevel, logFormat)");
            }
        }
        return into;
    }

    private static List<ApiKey> keys(Path file, JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException(file + ": 'keys' must be a list");
        }
        List<ApiKey> out = new ArrayList<>();
        for (JsonNode k : v) {
            if (k.isTextual()) {
                out.add(ApiKey.parse(k.asText()));
            } else if (k.isObject() && k.has("key")) {
                JsonNode cap = k.get("capability");
                String capJson = cap == null ? null : (cap.isTextual() ? cap.asText() : cap.toString());
                out.add(capJson == null ? ApiKey.parse(k.get("key").asText()) : ApiKey.parse(k.get("key").asText(), capJson));
            } else {
                throw new IllegalArgumentException(file + ": each key is 'appId.keyId:secret' or {key, capability}");
            }
        }
        return out;
    }

    /** Limits by field name; durations as milliseconds or ISO-8601 (PT15S). */
    static Limits limits(Path file, JsonNode v) {
        Limits.Builder b = Limits.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            LimitSetting.apply(b, e.getKey(), e.getValue().asText(), file.toString());
        }
        return b.build();
    }

    static Duration duration(String text) {
        return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : Duration.ofMillis(Long.parseLong(text));
    }
}
