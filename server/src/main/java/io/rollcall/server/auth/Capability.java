package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Flags;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a key or token may do: resource patterns mapped to operations, as Ably's capability JSON. Immutable;
 * the patterns are compiled once.
 */
public final class Capability {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Capability ALL = new Capability(new TreeMap<>(Map.of("*", new TreeSet<>(Set.of("*")))));

    /** Sorted resource -> sorted op names ("*" for all): the canonical form. */
    private final TreeMap<String, TreeSet<String>> entries;
    private final List<Entry> compiled;

    private record Entry(CapabilityMatcher matcher, boolean all, Set<Operation> ops) {}

    private Capability(TreeMap<String, TreeSet<String>> entries) {
        this.entries = entries;
        List<Entry> c = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : entries.entrySet()) {
            boolean all = e.getValue().contains("*");
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            for (String op : e.getValue()) {
                Operation o = Operation.fromWire(op);
                if (o != null) {
                    ops.add(o);
                }
            }
            c.add(new Entry(new CapabilityMatcher(e.getKey()), all, ops));
        }
        this.compiled = Collections.unmodifiableList(c);
    }

    /** Every operation on every channel: {"*":["*"]}. */
    public static Capability all() {
        return ALL;
    }

    /** Parses Ably capability JSON; an invalid one is 40000 (bad request) with what is wrong. */
    public static Capability parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw invalid("capability is not valid JSON");
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw invalid("capability must be a non-empty JSON object of resource -> [operations]");
        }
        TreeMap<String, TreeSet<String>> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw invalid("operations for '" + e.getKey() + "' must be a non-empty array");
            }
            TreeSet<String> ops = new TreeSet<>();
            for (JsonNode op : e.getValue()) {
                String name = op.asText();
                if (!op.isTextual() || (!name.equals("*") && Operation.fromWire(name) == null)) {
                    throw invalid("unknown operation '" + op.asText() + "' for '" + e.getKey() + "'");
                }
                ops.add(name);
            }
            entries.put(e.getKey(), ops);
        }
        return new Capability(entries);
    }

    private static AblyException invalid(String why) {
        return new AblyException(40000, 400, "Invalid capability: " + why);
    }

    public boolean permits(String channel, Operation op) {
        for (Entry e : compiled) {
            if (e.matcher().matches(channel) && (e.all() || e.ops().contains(op))) {
                return true;
            }
        }
        return false;
    }

    /** The requested channel modes this capability allows on the channel. */
    public int grantedModes(String channel, int requestedModes) {
        int allowed = 0;
        if (permits(channel, Operation.PUBLISH)) allowed |= Flags.PUBLISH;
        if (permits(channel, Operation.SUBSCRIBE)) allowed |= Flags.SUBSCRIBE | Flags.PRESENCE_SUBSCRIBE;
        if (permits(channel, Operation.PRESENCE)) allowed |= Flags.PRESENCE;
        if (permits(channel, Operation.ANNOTATION_PUBLISH)) allowed |= Flags.ANNOTATION_PUBLISH;
        if (permits(channel, Operation.ANNOTATION_SUBSCRIBE)) allowed |= Flags.ANNOTATION_SUBSCRIBE;
        if (permits(channel, Operation.OBJECT_PUBLISH)) allowed |= Flags.OBJECT_PUBLISH;
        if (permits(channel, Operation.OBJECT_SUBSCRIBE)) allowed |= Flags.OBJECT_SUBSCRIBE;
        return requestedModes & allowed;
    }

    /**
     * A token's capability: what was requested, limited to what this (the key's) capability allows. A
     * requested resource survives when some key resource covers it, with the operations both allow.
     */
    public Capability intersect(Capability requested) {
        TreeMap<String, TreeSet<String>> out = new TreeMap<>();
        for (Map.Entry<String, TreeSet<String>> req : requested.entries.entrySet()) {
            String resource = req.getKey();
            TreeSet<String> ops = new TreeSet<>();
            for (Map.Entry<String, TreeSet<String>> key : entries.entrySet()) {
                if (!covers(key.getKey(), resource)) {
                    continue;
                }
                boolean keyAll = key.getValue().contains("*");
                for (String op : req.getValue()) {
                    if (op.equals("*")) {
                        ops.addAll(keyAll ? Set.of("*") : key.getValue());
                    } else if (keyAll || key.getValue().contains(op)) {
                        ops.add(op);
                    }
                }
            }
            if (ops.contains("*")) {
                ops.retainAll(Set.of("*"));
            }
            if (!ops.isEmpty()) {
                out.put(resource, ops);
            }
        }
        if (out.isEmpty()) {
            throw new AblyException(40160, 401, "Requested capability " + requested.toJson()
                    + " is not permitted by the key's capability " + toJson());
        }
        return new Capability(out);
    }

    /** True if every channel the resource pattern matches is matched by the key pattern. */
    private static boolean covers(String keyPattern, String resource) {
        if (keyPattern.equals(resource) || keyPattern.equals("[*]*")) {
            return true;
        }
        CapabilityMatcher key = new CapabilityMatcher(keyPattern);
        if (resource.endsWith("*")) {
            String resPrefix = resource.substring(0, resource.length() - 1);
            if (resource.equals("[*]*")) {
                return false;
            }
            if (!keyPattern.endsWith("*")) {
                return false;
            }
            String keyPrefix = keyPattern.substring(0, keyPattern.length() - 1);
            return keyPrefix.isEmpty() ? !resPrefix.startsWith("[") : resPrefix.startsWith(keyPrefix);
        }
        return key.matches(resource);
    }

    /** Canonical JSON: resources sorted, operations sorted, compact — what the SDKs sign. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        for (Map.Entry<String, TreeSet<String>> e : entries.entrySet()) {
            ArrayNode ops = root.putArray(e.getKey());
            e.getValue().forEach(ops::add);
        }
        return root.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capability c && c.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
