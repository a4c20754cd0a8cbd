package io.rollcall.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Flags;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a key or token may do: Ably capability JSON, resource name to operations. Immutable; resource names are
 * compiled once and operations kept as bit masks, so {@link #permits} and {@link #grantedModes} parse nothing.
 *
 * <p>Validation follows what Ably answers (ably-js {@code test/rest/capability.test.js}, ably-java
 * {@code RestCapabilityTest}): an unknown operation, {@code "*"} mixed with other operations, or an empty
 * operation list is 40000 bad request.
 */
public final class Capability {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every bit set: the "*" operation. */
    private static final int ALL_OPS = -1;
    private static final Capability ALL = new Capability(new TreeMap<>(Map.of("*", new TreeSet<>(Set.of(Operation.ALL)))));
    private static final Capability NONE = new Capability(new TreeMap<>());

    /** The canonical form: resources sorted, each operation list sorted ({@code ["*"]} alone when it is all). */
    private final SortedMap<String, SortedSet<String>> entries;
    private final Entry[] compiled;
    private final String json;

    private record Entry(CapabilityMatcher matcher, int ops, int modes) {}

    private Capability(SortedMap<String, SortedSet<String>> entries) {
        SortedMap<String, SortedSet<String>> frozen = new TreeMap<>();
        entries.forEach((r, ops) -> frozen.put(r, Collections.unmodifiableSortedSet(new TreeSet<>(ops))));
        this.entries = Collections.unmodifiableSortedMap(frozen);
        this.compiled = new Entry[entries.size()];
        ObjectNode root = JSON.createObjectNode();
        int i = 0;
        for (Map.Entry<String, SortedSet<String>> e : entries.entrySet()) {
            int ops = 0;
            ArrayNode list = root.putArray(e.getKey());
            for (String op : e.getValue()) {
                list.add(op);
                ops |= op.equals(Operation.ALL) ? ALL_OPS : Operation.fromWire(op).bit();
            }
            compiled[i++] = new Entry(CapabilityMatcher.compile(e.getKey()), ops, modes(ops));
        }
        this.json = root.toString();
    }

    /** Every operation on every unqualified channel, {@code {"*":["*"]}}: Ably's default key capability. */
    public static Capability all() {
        return ALL;
    }

    /** Parses Ably capability JSON, e.g. {@code {"chat:*":["publish","subscribe"]}}; invalid is 40000/400. */
    public static Capability parse(String json) {
        if (json == null) {
            throw invalid("no capability given");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("not valid JSON");
        }
        return fromTree(root);
    }

    /** The same from an already parsed JSON value. */
    static Capability fromTree(JsonNode root) {
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw invalid("must be a non-empty JSON object of resource name to an array of operations");
        }
        SortedMap<String, SortedSet<String>> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String resource = e.getKey();
            JsonNode ops = e.getValue();
            if (resource.isEmpty()) {
                throw invalid("a resource name is empty");
            }
            if (!ops.isArray() || ops.isEmpty()) {
                throw invalid("the operations for '" + resource + "' must be a non-empty array");
            }
            SortedSet<String> set = new TreeSet<>();
            for (JsonNode op : ops) {
                if (!op.isTextual() || (!op.asText().equals(Operation.ALL) && Operation.fromWire(op.asText()) == null)) {
                    throw invalid("unknown operation " + op + " for '" + resource + "'");
                }
                set.add(op.asText());
            }
            if (set.contains(Operation.ALL) && set.size() > 1) {
                throw invalid("'*' cannot be combined with other operations for '" + resource + "'");
            }
            entries.put(resource, set);
        }
        return new Capability(entries);
    }

    private static AblyException invalid(String why) {
        return new AblyException(40000, 400, "Invalid capability: " + why);
    }

    /** True if some resource matching the channel grants the operation (or "*"). */
    public boolean permits(String channel, Operation op) {
        int bit = op.bit();
        for (Entry e : compiled) {
            if ((e.ops() & bit) != 0 && e.matcher().matches(channel)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The requested channel mode bits this capability allows on the channel: publish gives PUBLISH, subscribe
     * gives SUBSCRIBE and PRESENCE_SUBSCRIBE, presence gives PRESENCE, the annotation and object operations their
     * own modes, and "*" all of them. One pass over the resources.
     */
    public int grantedModes(String channel, int requestedModes) {
        int allowed = 0;
        for (Entry e : compiled) {
            if ((e.modes() & requestedModes & ~allowed) != 0 && e.matcher().matches(channel)) {
                allowed |= e.modes();
            }
        }
        return requestedModes & allowed;
    }

    private static int modes(int ops) {
        int m = 0;
        if ((ops & Operation.PUBLISH.bit()) != 0) m |= Flags.PUBLISH;
        if ((ops & Operation.SUBSCRIBE.bit()) != 0) m |= Flags.SUBSCRIBE | Flags.PRESENCE_SUBSCRIBE;
        if ((ops & Operation.PRESENCE.bit()) != 0) m |= Flags.PRESENCE;
        if ((ops & Operation.ANNOTATION_PUBLISH.bit()) != 0) m |= Flags.ANNOTATION_PUBLISH;
        if ((ops & Operation.ANNOTATION_SUBSCRIBE.bit()) != 0) m |= Flags.ANNOTATION_SUBSCRIBE;
        if ((ops & Operation.OBJECT_PUBLISH.bit()) != 0) m |= Flags.OBJECT_PUBLISH;
        if ((ops & Operation.OBJECT_SUBSCRIBE.bit()) != 0) m |= Flags.OBJECT_SUBSCRIBE;
        return m;
    }

    /**
     * A token's capability: {@code requested} narrowed to what this (the key's) capability allows, as Ably does
     * for token requests and JWTs. Each requested resource is intersected with each key resource (see
     * {@link CapabilityMatcher}); operations intersect with "*" as identity. Nothing left is 40160/401, as
     * Ably answers an empty ops or paths intersection.
     */
    public Capability intersect(Capability requested) {
        Capability out = intersection(requested);
        if (out.isEmpty()) {
            throw new AblyException(40160, 401, "Requested capability " + requested.json
                    + " is not permitted by the key's capability " + json);
        }
        return out;
    }

    /** As {@link #intersect}, but an empty result is returned rather than refused. */
    Capability intersection(Capability requested) {
        SortedMap<String, SortedSet<String>> out = new TreeMap<>();
        for (Entry req : requested.compiled) {
            for (Entry key : compiled) {
                int ops = req.ops() & key.ops();
                if (ops == 0) {
                    continue;
                }
                String resource = key.matcher().intersect(req.matcher());
                if (resource == null) {
                    continue;
                }
                SortedSet<String> merged = out.computeIfAbsent(resource, r -> new TreeSet<>());
                if (ops == ALL_OPS || merged.contains(Operation.ALL)) {
                    merged.clear();
                    merged.add(Operation.ALL);
                    continue;
                }
                for (Operation o : Operation.values()) {
                    if ((ops & o.bit()) != 0) {
                        merged.add(o.wireName());
                    }
                }
            }
        }
        return out.isEmpty() ? NONE : new Capability(out);
    }

    /** True if this grants nothing at all. */
    public boolean isEmpty() {
        return compiled.length == 0;
    }

    /** Resource name to its sorted operations, in canonical order. */
    public SortedMap<String, SortedSet<String>> entries() {
        return entries;
    }

    /**
     * Canonical JSON, as the SDKs canonicalise a capability before signing a TokenRequest (ably-js
     * {@code c14n}, ably-java {@code Capability.c14n}): resource names sorted, each operation list sorted, compact.
     */
    public String toJson() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capability c && c.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
