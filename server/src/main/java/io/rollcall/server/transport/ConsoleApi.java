package io.rollcall.server.transport;

import io.netty.handler.codec.http.HttpMethod;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChannelName;
import io.rollcall.server.core.ChannelState;
import io.rollcall.server.core.Node;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The REST endpoints behind the operator console ({@code /console/api/...}): authenticated like the rest of
 * REST, answering only what the credentials' capability covers, in their app. Lists are filtered, sorted and
 * paged here, so a page with 10,000 channels or members receives one screenful at a time.
 */
final class ConsoleApi {
    static final String PREFIX = "/console/api/";
    private static final int MAX_PAGE = 1000;

    /** Requests waiting for the console's worker; past it they get 503 (console use is a few operators). */
    private static final int MAX_WAITING = 64;

    private final Node node;
    private final RestApi rest;
    private final Function<String, List<?>> webhooks;
    /**
     * Listing and sorting 10,000 channels takes milliseconds: done on a worker thread of its own, never on a
     * network event loop, and one request at a time.
     */
    private final java.util.concurrent.ThreadPoolExecutor worker = new java.util.concurrent.ThreadPoolExecutor(1, 1,
            0, java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(MAX_WAITING), r -> {
                Thread t = new Thread(r, "rollcall-console");
                t.setDaemon(true);
                return t;
            });

    ConsoleApi(Node node, RestApi rest, Function<String, List<?>> webhooks) {
        this.node = node;
        this.rest = rest;
        this.webhooks = webhooks;
    }

    CompletableFuture<RestResponse> handle(RestRequest req) {
        try {
            return CompletableFuture.supplyAsync(() -> answer(req), worker).thenCompose(f -> f);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new AblyException(50300, 503, "Console busy: too many requests waiting; retry");
        }
    }

    void close() {
        worker.shutdownNow();
    }

    private CompletableFuture<RestResponse> answer(RestRequest req) {
        if (!req.method().equals(HttpMethod.GET)) {
            throw new AblyException(40500, 405, "Method not allowed: " + req.method());
        }
        AuthContext auth = rest.authenticate(req);
        String what = req.segment(2);
        int n = req.segmentCount();
        if ("whoami".equals(what) && n == 3) {
            return done(whoami(auth));
        }
        if ("channels".equals(what) && n == 3) {
            return channels(req, auth);
        }
        if ("channels".equals(what) && n == 5 && "members".equals(req.segment(4))) {
            return members(req, auth, ChannelName.validate(req.segment(3)));
        }
        if ("webhooks".equals(what) && n == 3) {
            requireOverview(auth, "Webhook rules");
            return done(RestResponse.ok(Map.of("items", webhooks.apply(auth.appId()))));
        }
        if ("nodes".equals(what) && n == 3) {
            requireOverview(auth, "The node list");
            return node.broker().liveNodes().thenApply(nodes -> {
                List<Map<String, Object>> items = new ArrayList<>();
                for (var lease : nodes) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("nodeId", lease.nodeId());
                    m.put("self", lease.nodeId().equals(node.nodeId()));
                    m.put("leaseExpires", lease.leaseExpires() == Long.MAX_VALUE ? null : lease.leaseExpires());
                    items.add(m);
                }
                items.sort(Comparator.comparing(m -> (String) m.get("nodeId")));
                return RestResponse.ok(Map.of("items", items));
            });
        }
        throw new AblyException(40400, 404, "Not found: GET " + req.raw().uri());
    }

    private static CompletableFuture<RestResponse> done(RestResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private RestResponse whoami(AuthContext auth) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("appId", auth.appId());
        out.put("keyName", auth.keyName());
        out.put("capability", auth.capability().toJson());
        out.put("nodeId", node.nodeId());
        out.put("overview", auth.capability().permits("*", Operation.CHANNEL_METADATA));
        return RestResponse.ok(out);
    }

    /** Webhooks and nodes are about the whole app: the capability enumeration needs. */
    private static void requireOverview(AuthContext auth, String what) {
        if (!auth.capability().permits("*", Operation.CHANNEL_METADATA)) {
            throw new AblyException(40160, 401, what + " needs the channel-metadata capability on '*'");
        }
    }

    /** Active channels the capability may see (channel-metadata), filtered by substring, sorted, paged. */
    private CompletableFuture<RestResponse> channels(RestRequest req, AuthContext auth) {
        String filter = req.param("filter") == null ? "" : req.param("filter");
        String sort = req.param("sort") == null ? "name" : req.param("sort");
        boolean desc = "desc".equals(req.param("order"));
        int offset = intParam(req, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = intParam(req, "limit", 1, MAX_PAGE, 100);
        if (!sort.equals("name") && !List.of(OccupancyMetrics.CATEGORIES).contains(sort)) {
            throw new AblyException(40003, 400, "Invalid sort: 'name' or an occupancy metric");
        }
        return node.activeChannels(auth.appId(), name -> name.contains(filter)
                && auth.capability().permits(name, Operation.CHANNEL_METADATA)).thenCompose(names -> {
            // Sorting by a metric needs every channel's figures; by name only the page's.
            List<String> wanted = names;
            if (sort.equals("name")) {
                List<String> ordered = new ArrayList<>(names);
                if (desc) {
                    java.util.Collections.reverse(ordered);
                }
                wanted = ordered.subList(Math.min(offset, ordered.size()), Math.min(ordered.size(), offset + limit));
            }
            List<String> fetch = wanted;
            List<CompletableFuture<ChannelState>> states = new ArrayList<>(fetch.size());
            for (String name : fetch) {
                states.add(node.channelState(new ChannelKey(auth.appId(), name)));
            }
            return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Map.Entry<String, OccupancyMetrics.Snapshot>> rows = new ArrayList<>(fetch.size());
                for (int i = 0; i < fetch.size(); i++) {
                    rows.add(Map.entry(fetch.get(i), states.get(i).join().totalOccupancy()));
                }
                List<Map.Entry<String, OccupancyMetrics.Snapshot>> page = rows;
                if (!sort.equals("name")) {
                    Comparator<Map.Entry<String, OccupancyMetrics.Snapshot>> byMetric =
                            Comparator.comparingInt(e -> e.getValue().get(sort));
                    rows.sort((desc ? byMetric.reversed() : byMetric).thenComparing(Map.Entry::getKey));
                    page = rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit));
                }
                List<Map<String, Object>> items = new ArrayList<>(page.size());
                for (Map.Entry<String, OccupancyMetrics.Snapshot> e : page) {
                    items.add(Map.of("name", e.getKey(), "metrics", e.getValue().toMap()));
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("total", names.size());
                out.put("offset", offset);
                out.put("items", items);
                return RestResponse.ok(out);
            });
        });
    }

    /** A channel's members (subscribe capability, as REST presence), filtered by clientId substring, paged. */
    private CompletableFuture<RestResponse> members(RestRequest req, AuthContext auth, String channel) {
        if (!auth.capability().permits(channel, Operation.SUBSCRIBE)) {
            throw new AblyException(40160, 401, "Action not permitted by capability: subscribe on channel " + channel);
        }
        String filter = req.param("filter") == null ? "" : req.param("filter");
        int offset = intParam(req, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = intParam(req, "limit", 1, MAX_PAGE, 100);
        return node.channelState(new ChannelKey(auth.appId(), channel)).thenApply(state -> {
            List<PresenceMessage> matching = new ArrayList<>();
            for (PresenceMessage p : state.members()) {
                if (p.clientId != null && p.clientId.contains(filter)) {
                    matching.add(p);
                }
            }
            matching.sort(Comparator.comparing((PresenceMessage p) -> p.clientId).thenComparing(p -> p.connectionId));
            List<Map<String, Object>> items = new ArrayList<>();
            for (PresenceMessage p : matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("clientId", p.clientId);
                m.put("connectionId", p.connectionId);
                if (p.data instanceof byte[] b) { // binary data travels as base64 in JSON, as Ably's REST does
                    m.put("data", java.util.Base64.getEncoder().encodeToString(b));
                    m.put("encoding", p.encoding == null ? "base64" : p.encoding + "/base64");
                } else {
                    m.put("data", p.data);
                    m.put("encoding", p.encoding);
                }
                m.put("timestamp", p.timestamp);
                items.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", matching.size());
            out.put("offset", offset);
            out.put("items", items);
            return RestResponse.ok(out);
        });
    }

    private static int intParam(RestRequest req, String name, int min, int max, int dflt) {
        String v = req.param(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new AblyException(40003, 400, "Invalid " + name + ": expected " + min + " to " + max);
        }
    }
}
