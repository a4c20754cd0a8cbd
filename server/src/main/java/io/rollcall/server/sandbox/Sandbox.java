package io.rollcall.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.auth.Capability;
import io.rollcall.server.auth.Keyring;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChannelName;
import io.rollcall.server.core.Node;
import io.rollcall.server.core.Publication;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ErrorInfo;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apps made and removed at run time, as Ably's sandbox does for SDK test suites ({@code POST /apps} with the
 * body of ably-common's {@code test-app-setup.json}): keys with their capabilities, namespaces, and channels
 * with presence fixtures (members that stay until the app is deleted). A provisioned app is a full app: its
 * keys sign tokens and JWTs and open connections like configured ones. Apps live on the node that made them.
 */
public final class Sandbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** Bounds on one spec, so a request cannot make the server hold unbounded state. */
    static final int MAX_KEYS = 100;
    static final int MAX_NAMESPACES = 100;
    static final int MAX_FIXTURE_MEMBERS = 1000;
    /** Apps alive at once: CI that never deletes its apps cannot grow the server without bound. */
    static final int MAX_APPS = 1000;

    private final Node node;
    private final Keyring keyring;
    private final SecureRandom random = new SecureRandom();
    /** Presence fixtures per provisioned app: the members on each channel. */
    private final Map<String, Map<String, List<PresenceMessage>>> fixtures = new ConcurrentHashMap<>();

    public Sandbox(Node node, Keyring keyring) {
        this.node = node;
        this.keyring = keyring;
    }

    /** Creates an app from a spec; answers Ably's sandbox shape (accountId, appId, keys, namespaces, ...). */
    public ObjectNode create(JsonNode spec) {
        if (spec == null || !spec.isObject()) {
            throw bad("the body must be a JSON object (the post_apps of test-app-setup.json)");
        }
        if (keyring.provisionedApps() >= MAX_APPS) {
            throw new AblyException(42910, 429, "Too many sandbox apps (" + MAX_APPS + "); delete some with DELETE /apps/{id}");
        }
        long now = node.clock().millis();
        String appId = newAppId();
        ObjectNode out = JSON.createObjectNode();
        out.put("accountId", "rollcall-local");
        out.put("id", appId);
        out.put("appId", appId);
        out.put("name", "sandbox-" + appId);
        out.put("status", 0);
        out.put("tlsOnly", false);
        out.put("created", now);
        out.put("modified", now);

        List<ApiKey> keys = new ArrayList<>();
        ArrayNode keysOut = out.putArray("keys");
        JsonNode keySpecs = spec.path("keys");
        List<JsonNode> specs = new ArrayList<>();
        if (keySpecs.isMissingNode() || keySpecs.isNull()) {
            specs.add(JSON.createObjectNode());
        } else if (keySpecs.isArray() && keySpecs.size() <= MAX_KEYS) {
            keySpecs.forEach(specs::add);
        } else {
            throw bad("keys must be a list of at most " + MAX_KEYS + " objects");
        }
        for (JsonNode k : specs) {
            if (!k.isObject()) {
                throw bad("each key is an object ({capability, revocableTokens})");
            }
            Capability capability = capability(k.get("capability"));
            String keyId = randomId(6);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
            ApiKey key = new ApiKey(appId, appId + '.' + keyId, secret, capability);
            keys.add(key);
            ObjectNode ko = keysOut.addObject();
            ko.put("id", keyId);
            ko.put("appId", appId);
            ko.put("name", k.path("name").asText(""));
            ko.put("value", secret);
            ko.put("keyName", key.keyName());
            ko.put("keySecret", secret);
            ko.put("keyStr", key.keyName() + ':' + secret);
            ko.put("capability", capability.toJson());
            ko.put("revocableTokens", k.path("revocableTokens").asBoolean(false));
            ko.put("status", 0);
            ko.put("created", now);
            ko.put("modified", now);
            ko.putNull("expires");
        }

        ArrayNode namespacesOut = out.putArray("namespaces");
        JsonNode ns = spec.path("namespaces");
        if (!ns.isMissingNode() && !ns.isNull()) {
            if (!ns.isArray() || ns.size() > MAX_NAMESPACES) {
                throw bad("namespaces must be a list of at most " + MAX_NAMESPACES + " objects");
            }
            for (JsonNode n : ns) {
                if (!n.isObject() || !n.path("id").isTextual() || n.path("id").asText().isEmpty()) {
                    throw bad("each namespace is an object with a non-empty id");
                }
                // Settings are kept as given; Rollcall applies none of them differently per namespace.
                ObjectNode no = namespacesOut.addObject();
                no.setAll((ObjectNode) n);
                no.put("appId", appId);
                no.put("created", now);
                no.put("modified", now);
            }
        }

        List<ProtocolMessage> presence = fixtures(spec.path("channels"));
        out.set("channels", spec.path("channels").isArray() ? spec.get("channels").deepCopy() : JSON.createArrayNode());
        out.putArray("connections");

        keyring.provision(appId, keys);
        enterFixtures(appId, presence, now);
        return out;
    }

    /** Deletes a provisioned app: its keys stop working, its connections end, its fixtures leave. */
    public boolean delete(String appId) {
        if (!keyring.unprovision(appId)) {
            return false;
        }
        Map<String, List<PresenceMessage>> f = fixtures.remove(appId);
        if (f != null) {
            long now = node.clock().millis();
            f.forEach((channel, members) -> {
                List<PresenceMessage> leaves = new ArrayList<>();
                for (PresenceMessage m : members) {
                    leaves.add(leave(m, now));
                }
                publishPresence(appId, channel, leaves, now);
            });
        }
        node.closeApp(appId, new ErrorInfo(40101, 401, "Invalid credentials: app " + appId + " was deleted"));
        return true;
    }

    /** Whether a provisioned app has this id. */
    public boolean exists(String appId) {
        return keyring.isProvisioned(appId);
    }

    private static PresenceMessage leave(PresenceMessage m, long now) {
        PresenceMessage l = m.withAction(PresenceMessage.LEAVE);
        l.id = "synthesized:" + m.connectionId + ':' + now;
        l.timestamp = Math.max(now, m.timestamp + 1);
        return l;
    }

    /** The fixtures of {@code channels: [{name, presence: [{clientId, data, encoding}]}]}, decoded as a client's would be. */
    private static List<ProtocolMessage> fixtures(JsonNode channels) {
        List<ProtocolMessage> out = new ArrayList<>();
        if (channels.isMissingNode() || channels.isNull()) {
            return out;
        }
        if (!channels.isArray()) {
            throw bad("channels must be a list of {name, presence}");
        }
        int members = 0;
        for (JsonNode ch : channels) {
            String name = ch.path("name").asText(null);
            if (name == null) {
                throw bad("each channel needs a name");
            }
            ChannelName.validate(name);
            JsonNode presence = ch.path("presence");
            if (!presence.isArray() || presence.isEmpty()) {
                continue;
            }
            members += presence.size();
            if (members > MAX_FIXTURE_MEMBERS) {
                throw bad("at most " + MAX_FIXTURE_MEMBERS + " presence fixtures per app");
            }
            ObjectNode frame = JSON.createObjectNode();
            frame.put("action", Action.PRESENCE);
            frame.put("channel", name);
            ArrayNode list = frame.putArray("presence");
            for (JsonNode p : presence) {
                if (!p.path("clientId").isTextual()) {
                    throw bad("each presence fixture needs a clientId");
                }
                ObjectNode m = list.addObject();
                m.put("action", PresenceMessage.ENTER);
                m.put("clientId", p.get("clientId").asText());
                if (p.has("data")) m.set("data", p.get("data"));
                if (p.has("encoding")) m.set("encoding", p.get("encoding"));
            }
            // Decoded by the codec, as a client's presence would be (base64 data becomes bytes, and so on).
            out.add(ProtocolCodec.of(WireFormat.JSON).decode(frame.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private void enterFixtures(String appId, List<ProtocolMessage> frames, long now) {
        if (frames.isEmpty()) {
            return;
        }
        // One connectionId for all of an app's fixtures, as Ably's sandbox does; it starts with this node's
        // id, so the node holds the members and a cluster reaps them with it.
        String connectionId = node.nodeId() + randomId(10);
        Map<String, List<PresenceMessage>> byChannel = new java.util.LinkedHashMap<>();
        int n = 0;
        for (ProtocolMessage frame : frames) {
            List<PresenceMessage> events = new ArrayList<>();
            for (PresenceMessage m : frame.presence) {
                m.connectionId = connectionId;
                m.id = connectionId + ":0:" + n++;
                m.timestamp = now;
                events.add(m);
            }
            node.app(appId).channel(frame.channel);
            publishPresence(appId, frame.channel, events, now);
            byChannel.computeIfAbsent(frame.channel, c -> new ArrayList<>()).addAll(events);
        }
        fixtures.put(appId, byChannel);
    }

    private void publishPresence(String appId, String channel, List<PresenceMessage> events, long now) {
        if (events.isEmpty()) {
            return;
        }
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
        pm.timestamp = now;
        pm.presence = events;
        node.broker().publish(new ChannelKey(appId, channel), Publication.presence(new EncodedMessage(pm), events, null));
    }

    private static Capability capability(JsonNode given) {
        if (given == null || given.isNull()) {
            return Capability.all();
        }
        return Capability.parse(given.isTextual() ? given.asText() : given.toString());
    }

    private String newAppId() {
        String id;
        do {
            id = randomId(6);
        } while (keyring.isProvisioned(id) || keyring.apps().contains(id));
        return id;
    }

    private String randomId(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(out);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static AblyException bad(String why) {
        return new AblyException(40000, 400, "Invalid app spec: " + why);
    }
}
