package io.rollcall.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.gson.JsonObject;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.HttpPaginatedResponse;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The true state of a channel as REST answers it on one node, in the shapes {@link ReceiverModel} builds, and
 * the check that a receiver's model matches it for every channel.
 */
final class WebhookTruth {
    private WebhookTruth() {}

    /** Presence, occupancy and lifecycle rules on channels matching {@code filter}, to one receiver. */
    static JsonNode rules(String filter, String url) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(rulesYaml(filter, url)).get("webhooks");
    }

    /** The same, as the {@code webhooks} section of a config file. */
    static String rulesYaml(String filter, String url) {
        return "webhooks:\n"
                + WebhooksTest.rule("pres", "channel.presence", filter, url, "")
                + WebhooksTest.rule("occ", "channel.occupancy", filter, url, "")
                + WebhooksTest.rule("life", "channel.lifecycle", filter, url, "");
    }

    static TreeSet<String> members(int port, String channel) throws Exception {
        AblyRest rest = AblyJava.rest(port, TestServer.KEY, false);
        TreeSet<String> out = new TreeSet<>();
        for (PresenceMessage m : rest.channels.get(channel).presence.get(null).items()) {
            out.add(m.clientId + "@" + m.connectionId);
        }
        return out;
    }

    private static JsonObject details(int port, String channel) throws Exception {
        AblyRest rest = AblyJava.rest(port, TestServer.KEY, false);
        HttpPaginatedResponse res = rest.request("GET", "/channels/" + channel, null, null, null);
        return res.items()[0].getAsJsonObject();
    }

    static Map<String, Integer> metrics(int port, String channel) throws Exception {
        JsonObject m = details(port, channel).getAsJsonObject("status").getAsJsonObject("occupancy").getAsJsonObject("metrics");
        Map<String, Integer> out = new TreeMap<>();
        m.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsInt()));
        return out;
    }

    static boolean active(int port, String channel) throws Exception {
        return details(port, channel).getAsJsonObject("status").get("isActive").getAsBoolean();
    }

    static Map<String, Integer> metrics(JsonNode metrics) {
        Map<String, Integer> out = new TreeMap<>();
        if (metrics != null) {
            metrics.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        }
        return out;
    }

    /**
     * Waits until every expected presence change arrived and the receiver's model agrees with the truth on
     * every channel; if it never does, fails saying what is missing or different.
     */
    static void converged(Receiver rx, int port, List<String> channels, java.util.concurrent.Callable<List<String>> missing,
                          String what) throws Exception {
        try {
            org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> missing.call().isEmpty() && differences(rx, port, channels).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            org.assertj.core.api.Assertions.assertThat(missing.call()).as("presence changes never delivered").isEmpty();
            org.assertj.core.api.Assertions.assertThat(differences(rx, port, channels)).as("receiver's model vs the truth").isEmpty();
            throw e;
        }
    }

    /** What differs between the receiver's model and the truth (empty once they agree on every channel). */
    static List<String> differences(Receiver rx, int port, List<String> channels) throws Exception {
        ReceiverModel model = ReceiverModel.of(rx);
        List<String> out = new java.util.ArrayList<>();
        for (String ch : channels) {
            TreeSet<String> members = members(port, ch);
            if (!model.members(ch).equals(members)) {
                out.add(ch + " members " + model.members(ch) + " != " + members);
            }
            Map<String, Integer> metrics = metrics(port, ch);
            if (!metrics(model.occupancy(ch)).equals(metrics)) {
                out.add(ch + " occupancy " + metrics(model.occupancy(ch)) + " != " + metrics);
            }
            boolean active = active(port, ch);
            if (!Boolean.valueOf(active).equals(model.active(ch))) {
                out.add(ch + " active " + model.active(ch) + " != " + active);
            }
        }
        return out;
    }
}
