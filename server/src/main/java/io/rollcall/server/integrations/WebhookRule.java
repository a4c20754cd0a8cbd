package io.rollcall.server.integrations;

import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.auth.Keyring;
import io.rollcall.server.protocol.WireFormat;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One webhook rule: a source, a channel filter (a regular expression on the channel name), a target URL,
 * extra headers, a signing key (whose secret signs each body, and whose app the rule covers), the body format,
 * and how items are batched.
 */
public record WebhookRule(String id, WebhookSource source, Pattern channelFilter, URI url, Map<String, String> headers,
                          ApiKey signingKey, String appId, WireFormat format, int batchMaxItems, long batchMaxAgeMs) {

    static final int DEFAULT_BATCH_ITEMS = 100;
    static final long DEFAULT_BATCH_AGE_MS = 200;

    boolean matches(String app, String channel) {
        return (appId == null || appId.equals(app)) && channelFilter.matcher(channel).find();
    }

    /** Reads and checks one rule; every problem is an IllegalArgumentException naming the rule and field. */
    static WebhookRule parse(JsonNode n, int index, Keyring keys) {
        String where = "webhooks[" + index + "]";
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": each rule is a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!java.util.Set.of("id", "source", "channelFilter", "url", "headers", "signingKey", "app", "format",
                    "batchMaxItems", "batchMaxAgeMs").contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "'");
            }
        }
        String id = n.path("id").asText("");
        if (id.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'id' is required (it names the rule in payloads and metrics)");
        }
        where = "webhook '" + id + "'";
        WebhookSource source = WebhookSource.parse(n.path("source").asText(""));
        if (source == null) {
            throw new IllegalArgumentException(where + ": 'source' must be channel.occupancy, channel.presence or channel.lifecycle");
        }
        Pattern filter;
        try {
            filter = Pattern.compile(n.path("channelFilter").asText(".*"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": 'channelFilter' is not a valid regular expression: " + e.getDescription());
        }
        URI url;
        try {
            url = URI.create(n.path("url").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": 'url' is not a valid URL");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(where + ": 'url' must be an http or https URL with a host");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        ApiKey key = null;
        if (n.hasNonNull("signingKey")) {
            key = keys.find(n.get("signingKey").asText());
            if (key == null) {
                throw new IllegalArgumentException(where + ": 'signingKey' names no configured key (give its keyName, appId.keyId)");
            }
        }
        String app = n.hasNonNull("app") ? n.get("app").asText() : (key != null ? key.appId() : null);
        String format = n.path("format").asText("json");
        if (!format.equals("json") && !format.equals("msgpack")) {
            throw new IllegalArgumentException(where + ": 'format' must be json or msgpack");
        }
        int items = n.path("batchMaxItems").asInt(DEFAULT_BATCH_ITEMS);
        long age = n.path("batchMaxAgeMs").asLong(DEFAULT_BATCH_AGE_MS);
        if (items < 1 || items > 1000 || age < 0) {
            throw new IllegalArgumentException(where + ": batchMaxItems must be 1-1000 and batchMaxAgeMs not negative");
        }
        return new WebhookRule(id, source, filter, url, Map.copyOf(headers), key, app,
                format.equals("json") ? WireFormat.JSON : WireFormat.MSGPACK, items, age);
    }
}
