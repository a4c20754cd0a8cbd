package io.rollcall.server.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One capability resource name, compiled once, with Ably's wildcard semantics (ably/docs
 * {@code auth/capabilities.mdx} "Resource names and wildcards"; the trailing-wildcard and qualifier details follow
 * ably/ably-server {@code internal/auth/capability.go}, which mirrors Ably's own matcher):
 * <ul>
 *   <li>A resource is an optional {@code [qualifier]} then a path of {@code :}-separated segments.</li>
 *   <li>Only a whole segment {@code *} is a wildcard: {@code foo*} is the literal channel {@code foo*}.</li>
 *   <li>A {@code *} that is the last segment matches any number of further segments, none included: {@code ns:*}
 *       matches {@code ns:a}, {@code ns:a:b} and {@code ns}; a lone {@code *} matches every channel.</li>
 *   <li>A {@code *} elsewhere matches exactly one segment: {@code foo:*:baz} matches {@code foo:bar:baz} but not
 *       {@code foo:bar:bam:baz}.</li>
 *   <li>Qualifiers must agree: a resource without one matches only unqualified channels (so {@code *} does not
 *       reach {@code [meta]...}); {@code [meta]*} matches metachannels; the {@code [*]} qualifier matches any, so
 *       {@code [*]*} matches everything.</li>
 *   <li>A channel's {@code [?params]} (or {@code [meta?params]}) are options of the attachment, not part of its
 *       identity: {@code [?rewind=1]foo} is matched as {@code foo}, {@code [meta?x=1]log} as {@code [meta]log}.</li>
 * </ul>
 * Matching allocates nothing: it walks the channel name in place.
 */
public final class CapabilityMatcher {
    private static final String WILDCARD = "*";

    private final String resource;
    /** "" for none, "*" for any, else the qualifier type (e.g. "meta"). */
    private final String qualifier;
    private final String[] segments;
    private final boolean[] wildcard;
    private final boolean trailingWildcard;
    /** The whole path when it has no wildcard segment: matching is then one comparison. */
    private final String literalPath;

    private CapabilityMatcher(String resource) {
        this.resource = resource;
        int pathStart = 0;
        String q = "";
        if (resource.startsWith("[")) {
            int close = resource.indexOf(']');
            if (close > 0) {
                q = resource.substring(1, typeEnd(resource, close));
                pathStart = close + 1;
            }
        }
        this.qualifier = q;
        String path = resource.substring(pathStart);
        this.segments = path.split(":", -1);
        this.wildcard = new boolean[segments.length];
        boolean any = false;
        for (int i = 0; i < segments.length; i++) {
            wildcard[i] = segments[i].equals(WILDCARD);
            any |= wildcard[i];
        }
        this.trailingWildcard = wildcard[segments.length - 1];
        this.literalPath = any ? null : path;
    }

    /** Compiles a capability resource name such as {@code chat:*} or {@code [meta]*}. */
    public static CapabilityMatcher compile(String resource) {
        if (resource == null) {
            throw new IllegalArgumentException("resource is null");
        }
        return new CapabilityMatcher(resource);
    }

    public String resource() {
        return resource;
    }

    /** True if this resource covers the channel (as named on the wire, qualifier and params included). */
    public boolean matches(String channel) {
        int pathStart = 0;
        if (!channel.isEmpty() && channel.charAt(0) == '[') {
            int close = channel.indexOf(']');
            if (close < 0) {
                return false; // not a valid channel name; no resource names it
            }
            int typeEnd = typeEnd(channel, close);
            if (!qualifier.equals(WILDCARD)
                    && !(typeEnd - 1 == qualifier.length() && channel.startsWith(qualifier, 1))) {
                return false;
            }
            pathStart = close + 1;
        } else if (!qualifier.isEmpty() && !qualifier.equals(WILDCARD)) {
            return false;
        }
        if (literalPath != null) {
            return channel.length() - pathStart == literalPath.length() && channel.startsWith(literalPath, pathStart);
        }
        return matchPath(channel, pathStart);
    }

    private boolean matchPath(String channel, int start) {
        int end = channel.length();
        int pos = start;
        boolean exhausted = false;
        for (int i = 0; i < segments.length; i++) {
            if (wildcard[i]) {
                if (i == segments.length - 1) {
                    return true;
                }
                if (exhausted) {
                    return false;
                }
                int colon = channel.indexOf(':', pos);
                if (colon < 0) {
                    exhausted = true;
                } else {
                    pos = colon + 1;
                }
                continue;
            }
            String seg = segments[i];
            int segEnd = pos + seg.length();
            if (exhausted || segEnd > end || !channel.startsWith(seg, pos)) {
                return false;
            }
            if (segEnd == end) {
                exhausted = true;
            } else if (channel.charAt(segEnd) == ':') {
                pos = segEnd + 1;
            } else {
                return false;
            }
        }
        return exhausted;
    }

    /**
     * The resource naming exactly the channels both resources match, or null if none: how a token's requested
     * resource is narrowed by a key's. {@code *} and {@code cansubscribe:*} give {@code cansubscribe:*};
     * {@code canpublish:*} and {@code canpublish:check} give {@code canpublish:check}; {@code [*]*} and {@code foo}
     * give {@code foo}.
     */
    String intersect(CapabilityMatcher other) {
        String q;
        if (qualifier.equals(WILDCARD)) {
            q = other.qualifier;
        } else if (other.qualifier.equals(WILDCARD) || other.qualifier.equals(qualifier)) {
            q = qualifier;
        } else {
            return null;
        }
        List<String> path = intersectPath(other);
        if (path == null) {
            return null;
        }
        return (q.isEmpty() ? "" : "[" + q + "]") + String.join(":", path);
    }

    private List<String> intersectPath(CapabilityMatcher other) {
        // Fixed parts: the segments before a trailing wildcard, each matching exactly one channel segment.
        List<String> a = fixedSegments();
        List<String> b = other.fixedSegments();
        boolean aOpen = trailingWildcard;
        boolean bOpen = other.trailingWildcard;
        if (!aOpen && !bOpen && a.size() != b.size()) {
            return null;
        }
        if (aOpen && !bOpen && b.size() < a.size() || bOpen && !aOpen && a.size() < b.size()) {
            return null;
        }
        List<String> shorter = a.size() <= b.size() ? a : b;
        List<String> longer = shorter == a ? b : a;
        List<String> out = new ArrayList<>(longer.size() + 1);
        for (int i = 0; i < shorter.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            if (x.equals(WILDCARD)) {
                out.add(y);
            } else if (y.equals(WILDCARD) || x.equals(y)) {
                out.add(x);
            } else {
                return null;
            }
        }
        // The extra segments come from the longer side; only an open (trailing-wildcard) shorter side allows them.
        out.addAll(longer.subList(shorter.size(), longer.size()));
        if (aOpen && bOpen) {
            out.add(WILDCARD);
        }
        return out;
    }

    private List<String> fixedSegments() {
        List<String> all = Arrays.asList(segments);
        return trailingWildcard ? all.subList(0, all.size() - 1) : all;
    }

    /** End of a qualifier's type: before its {@code ?params}, or at its closing bracket. */
    private static int typeEnd(String name, int close) {
        int question = name.indexOf('?', 1);
        return question > 0 && question < close ? question : close;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapabilityMatcher m && m.resource.equals(resource);
    }

    @Override
    public int hashCode() {
        return resource.hashCode();
    }

    @Override
    public String toString() {
        return resource;
    }
}
