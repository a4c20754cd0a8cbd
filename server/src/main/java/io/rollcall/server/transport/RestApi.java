package io.rollcall.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.auth.TokenDetails;
import io.rollcall.server.core.App;
import io.rollcall.server.core.Channel;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChannelName;
import io.rollcall.server.core.ChannelState;
import io.rollcall.server.core.Node;
import io.rollcall.server.core.OccupancyMetrics;
import io.rollcall.server.core.Publication;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.PayloadSize;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Ably's REST endpoints that Rollcall serves. Every handler answers or throws {@link AblyException}. */
final class RestApi {
    /** A presence list, encoded with the presence codec rules (data encodings per format). */
    record Presences(List<PresenceMessage> list) {}

    /** A message list, encoded with the message codec rules. */
    record Messages(List<Message> list) {}

    /** An annotation list, encoded with the annotation codec rules. */
    record Annotations(List<io.rollcall.server.protocol.Annotation> list) {}

    private static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Node node;
    private final AtomicLong restSerial = new AtomicLong();
    private final HistoryEndpoints history;
    private final ChatEndpoints chat;

    RestApi(Node node) {
        this.node = node;
        this.history = new HistoryEndpoints(node);
        this.chat = new ChatEndpoints(node);
    }

    /** Answers now, or later for what needs the engine (a channel held by other nodes). */
    CompletableFuture<RestResponse> handle(RestRequest req) {
        HttpMethod m = req.method();
        String first = req.segment(0);
        int n = req.segmentCount();
        if (m.equals(HttpMethod.GET) && n == 1 && "time".equals(first)) {
            return done(RestResponse.ok(List.of(node.clock().millis())));
        }
        if (m.equals(HttpMethod.POST) && n == 3 && "keys".equals(first) && "requestToken".equals(req.segment(2))) {
            return done(requestToken(req));
        }
        if (m.equals(HttpMethod.POST) && n == 1 && "messages".equals(first)) {
            return batchPublish(req, authenticate(req));
        }
        if (m.equals(HttpMethod.GET) && n == 1 && "presence".equals(first)) {
            return batchPresence(req, authenticate(req));
        }
        if ("channels".equals(first)) {
            if (m.equals(HttpMethod.GET) && n == 1) {
                return enumerate(req, authenticate(req));
            }
            if (n >= 2) {
                String channel = ChannelName.validate(req.segment(1));
                if (m.equals(HttpMethod.POST) && n == 3 && "messages".equals(req.segment(2))) {
                    return publish(req, authenticate(req), channel);
                }
                if (n == 5 && "messages".equals(req.segment(2)) && "annotations".equals(req.segment(4))) {
                    return annotations(req, authenticate(req), channel, req.segment(3));
                }
                if (m.equals(HttpMethod.GET) && n == 3 && ("messages".equals(req.segment(2)) || "history".equals(req.segment(2)))) {
                    return history.messages(req, authenticate(req), channel);
                }
                if (m.equals(HttpMethod.GET) && n == 4 && "presence".equals(req.segment(2)) && "history".equals(req.segment(3))) {
                    return history.presence(req, authenticate(req), channel);
                }
                if (m.equals(HttpMethod.GET) && n == 3 && "presence".equals(req.segment(2))) {
                    return presence(req, authenticate(req), channel);
                }
                if (m.equals(HttpMethod.GET) && n == 2) {
                    return details(authenticate(req), channel);
                }
            }
        }
        if (n >= 5 && "chat".equals(first) && "v4".equals(req.segment(1)) && "rooms".equals(req.segment(2))) {
            if (m.equals(HttpMethod.GET) && n == 5 && "occupancy".equals(req.segment(4))) {
                return chatOccupancy(authenticate(req), req.segment(3));
            }
            if ("messages".equals(req.segment(4))) {
                CompletableFuture<RestResponse> answer = chat.handle(req, authenticate(req), req.segment(3));
                if (answer != null) {
                    return answer;
                }
            }
        }
        throw new AblyException(40400, 404, "Not found: " + m + " " + req.raw().uri());
    }

    private static CompletableFuture<RestResponse> done(RestResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    AuthContext authenticate(RestRequest req) {
        String header = req.header(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            String key = req.param("key");
            String token = req.param("access_token") != null ? req.param("access_token") : req.param("accessToken");
            if (key != null) {
                return node.authenticator().authenticateKey(key);
            }
            if (token != null) {
                return node.authenticator().authenticateToken(token);
            }
            throw new AblyException(40101, 401, "No authentication credentials: send an Authorization header");
        }
        AuthContext auth = node.authenticator().authenticateHeader(header);
        String clientIdHeader = req.header("X-Ably-ClientId");
        if (clientIdHeader != null) {
            String clientId;
            try {
                clientId = new String(Base64.getDecoder().decode(clientIdHeader.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AblyException(40012, 400, "X-Ably-ClientId is not valid base64");
            }
            auth = node.authenticator().resolveClientId(auth, clientId);
        }
        return auth;
    }

    private RestResponse requestToken(RestRequest req) {
        JsonNode body = io.rollcall.server.protocol.ProtocolCodec.of(req.bodyFormat()).decodeTree(req.body());
        TokenDetails td = node.authenticator().requestToken(req.segment(1), body);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", td.token());
        out.put("keyName", td.keyName());
        out.put("issued", td.issued());
        out.put("expires", td.expires());
        out.put("capability", td.capability());
        if (td.clientId() != null) {
            out.put("clientId", td.clientId());
        }
        return RestResponse.ok(out);
    }

    private CompletableFuture<RestResponse> publish(RestRequest req, AuthContext auth, String channel) {
        require(auth, channel, Operation.PUBLISH);
        List<Message> messages = io.rollcall.server.protocol.ProtocolCodec.of(req.bodyFormat()).decodeMessages(req.body());
        return publishMessages(auth, channel, messages)
                .thenApply(id -> RestResponse.status(HttpResponseStatus.CREATED, Map.of("channel", channel, "messageId", id)));
    }

    /** Publishes to one channel; completes with the messageId once the engine has it. */
    private CompletableFuture<String> publishMessages(AuthContext auth, String channel, List<Message> messages) {
        if (messages.isEmpty()) {
            throw new AblyException(40001, 400, "No messages in the request body");
        }
        long size = 0;
        for (Message msg : messages) {
            io.rollcall.server.protocol.MessageEncoding.validate(msg);
            size += PayloadSize.of(msg);
        }
        if (size > node.limits().maxMessageSize()) {
            throw new AblyException(40009, 400, "Maximum message length exceeded (" + size + " bytes; limit "
                    + node.limits().maxMessageSize() + ")");
        }
        long now = node.clock().millis();
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
        pm.id = "rest-" + node.nodeId() + "-" + restSerial.incrementAndGet();
        pm.timestamp = now;
        List<Message> stamped = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message msg = messages.get(i).copy();
            String connClient = auth.clientId();
            if (msg.clientId != null && connClient != null && !"*".equals(connClient) && !connClient.equals(msg.clientId)) {
                throw new AblyException(40012, 400, "Mismatched clientId: message clientId '" + msg.clientId
                        + "' differs from the credentials' '" + connClient + "'");
            }
            if (msg.clientId == null && connClient != null && !"*".equals(connClient)) {
                msg.clientId = connClient;
            }
            if (msg.id == null) {
                msg.id = pm.id + ':' + i;
            }
            if (msg.timestamp == 0) {
                msg.timestamp = now;
            }
            msg.extras = io.rollcall.server.core.ChatMessages.withUserClaim(msg.extras, auth, channel);
            stamped.add(msg);
        }
        pm.messages = stamped;
        App app = node.app(auth.appId());
        Channel ch = app.existing(channel);
        if (ch != null) {
            ch.stampSerial(pm);
        }
        app.meters().messagesIn(stamped.size());
        // Answered once the engine has it, so a client that reads elsewhere next finds it done.
        return node.broker().publish(new ChannelKey(auth.appId(), channel), Publication.messages(new EncodedMessage(pm), null))
                .thenApply(v -> pm.id);
    }

    /**
     * {@code POST /messages}: Ably's batch publish. The body is a spec {@code {channels, messages}} or a list of
     * them; the answer is a BatchResult per spec ({@code successCount}, {@code failureCount}, and per channel
     * {@code {channel, messageId}} or {@code {channel, error}}), 201 even when some channels failed.
     */
    private CompletableFuture<RestResponse> batchPublish(RestRequest req, AuthContext auth) {
        io.rollcall.server.protocol.ProtocolCodec codec = io.rollcall.server.protocol.ProtocolCodec.of(req.bodyFormat());
        JsonNode body = codec.decodeTree(req.body());
        boolean single = body != null && body.isObject();
        List<JsonNode> specs = new ArrayList<>();
        if (single) {
            specs.add(body);
        } else if (body != null && body.isArray() && !body.isEmpty()) {
            body.forEach(specs::add);
        } else {
            throw new AblyException(40000, 400, "Batch publish needs a spec {channels, messages} or a list of them");
        }
        List<List<String>> channelsPerSpec = new ArrayList<>();
        List<List<Message>> messagesPerSpec = new ArrayList<>();
        int total = 0;
        for (JsonNode spec : specs) {
            JsonNode channels = spec.path("channels");
            JsonNode messages = spec.path("messages");
            List<String> names = new ArrayList<>();
            if (channels.isTextual()) {
                names.add(channels.asText());
            } else if (channels.isArray() && !channels.isEmpty()) {
                channels.forEach(c -> names.add(c.asText()));
            } else {
                throw new AblyException(40000, 400, "Each batch spec needs channels: a name or a list of names");
            }
            if (!messages.isObject() && !(messages.isArray() && !messages.isEmpty())) {
                throw new AblyException(40000, 400, "Each batch spec needs messages: a message or a list of them");
            }
            total += names.size();
            if (total > node.limits().maxBatchChannels()) {
                throw new AblyException(40000, 400, "A batch may name at most " + node.limits().maxBatchChannels() + " channels");
            }
            channelsPerSpec.add(names);
            // Decoded by the message codec, as a single publish's body (base64 and msgpack binary data alike).
            messagesPerSpec.add(codec.decodeMessages(codec.encodeValue(messages)));
        }
        List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            List<Message> messages = messagesPerSpec.get(i);
            List<CompletableFuture<Map<String, Object>>> perChannel = new ArrayList<>();
            for (String channel : channelsPerSpec.get(i)) {
                perChannel.add(batchItem(channel, () -> {
                    ChannelName.validate(channel);
                    require(auth, channel, Operation.PUBLISH);
                    return publishMessages(auth, channel, messages)
                            .thenApply(id -> Map.<String, Object>of("channel", channel, "messageId", id));
                }));
            }
            results.add(batchResult(perChannel));
        }
        boolean flat = lowestApiVersion(req) <= 2;
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Object> out = new ArrayList<>();
            results.forEach(r -> out.add(r.join()));
            return flat ? flatBatchResponse(results) : RestResponse.status(HttpResponseStatus.CREATED, single ? out.get(0) : out);
        });
    }

    /**
     * The batch answer of API versions 1 and 2 (what ably-java's publishBatch asks for, with X-Ably-Version 2):
     * one flat list of per-channel results, 201; with any failure, 400 carrying error 40020 and the list as
     * {@code batchResponse}.
     */
    @SuppressWarnings("unchecked")
    private static RestResponse flatBatchResponse(List<CompletableFuture<Map<String, Object>>> results) {
        List<Object> perChannel = new ArrayList<>();
        boolean failed = false;
        for (CompletableFuture<Map<String, Object>> r : results) {
            Map<String, Object> batch = r.join();
            perChannel.addAll((List<Object>) batch.get("results"));
            failed |= ((Integer) batch.get("failureCount")) > 0;
        }
        if (!failed) {
            return RestResponse.status(HttpResponseStatus.CREATED, perChannel);
        }
        io.rollcall.server.protocol.ErrorInfo partial = new io.rollcall.server.protocol.ErrorInfo(40020, 400,
                "Batched response includes errors");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", Map.of("code", partial.code(), "statusCode", partial.statusCode(), "message", partial.message(),
                "href", partial.href()));
        body.put("batchResponse", perChannel);
        return RestResponse.status(HttpResponseStatus.BAD_REQUEST, body)
                .header("X-Ably-Errorcode", Integer.toString(partial.code()))
                .header("X-Ably-Errormessage", partial.message());
    }

    /** The lowest X-Ably-Version a request names (ably-java may send its default beside an explicit one). */
    private static int lowestApiVersion(RestRequest req) {
        int lowest = Integer.MAX_VALUE;
        for (String v : req.raw().headers().getAll("X-Ably-Version")) {
            try {
                lowest = Math.min(lowest, (int) Double.parseDouble(v.trim()));
            } catch (NumberFormatException e) {
                // An unreadable version is no version.
            }
        }
        return lowest;
    }

    /**
     * {@code GET /presence?channels=a,b}: Ably's batch presence, one BatchResult with per channel
     * {@code {channel, presence}} or {@code {channel, error}}.
     */
    private CompletableFuture<RestResponse> batchPresence(RestRequest req, AuthContext auth) {
        String param = req.param("channels");
        if (param == null || param.isBlank()) {
            throw new AblyException(40000, 400, "Batch presence needs channels=name,name");
        }
        String[] names = param.split(",");
        if (names.length > node.limits().maxBatchChannels()) {
            throw new AblyException(40000, 400, "A batch may name at most " + node.limits().maxBatchChannels() + " channels");
        }
        io.rollcall.server.protocol.ProtocolCodec codec = io.rollcall.server.protocol.ProtocolCodec.of(req.responseFormat());
        List<CompletableFuture<Map<String, Object>>> perChannel = new ArrayList<>();
        for (String channel : names) {
            perChannel.add(batchItem(channel, () -> {
                ChannelName.validate(channel);
                require(auth, channel, Operation.SUBSCRIBE);
                return node.channelState(new ChannelKey(auth.appId(), channel)).thenApply(state -> {
                    List<PresenceMessage> members = new ArrayList<>(state.members());
                    members.sort((a, b) -> a.memberKey().compareTo(b.memberKey()));
                    // Encoded with the presence rules of the response format, then nested as a tree.
                    return Map.<String, Object>of("channel", channel, "presence", codec.decodeTree(codec.encodePresence(members)));
                });
            }));
        }
        return batchResult(perChannel).thenApply(RestResponse::ok);
    }

    /** One channel of a batch: its result, or its own error (a batch answers for each channel). */
    private static CompletableFuture<Map<String, Object>> batchItem(String channel,
            java.util.function.Supplier<CompletableFuture<Map<String, Object>>> op) {
        CompletableFuture<Map<String, Object>> f;
        try {
            f = op.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionally(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            io.rollcall.server.protocol.ErrorInfo err = cause instanceof AblyException ae ? ae.error()
                    : new io.rollcall.server.protocol.ErrorInfo(50000, 500, "Internal error");
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", err.message());
            error.put("code", err.code());
            error.put("statusCode", err.statusCode());
            error.put("href", err.href());
            return Map.of("channel", channel, "error", error);
        });
    }

    private static CompletableFuture<Map<String, Object>> batchResult(List<CompletableFuture<Map<String, Object>>> items) {
        return CompletableFuture.allOf(items.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Map<String, Object>> results = new ArrayList<>();
            int failures = 0;
            for (CompletableFuture<Map<String, Object>> item : items) {
                Map<String, Object> r = item.join();
                if (r.containsKey("error")) {
                    failures++;
                }
                results.add(r);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("successCount", results.size() - failures);
            out.put("failureCount", failures);
            out.put("results", results);
            return out;
        });
    }

    /** {@code POST} publishes annotations of the message (ably-js {@code channel.annotations}); {@code GET} lists them. */
    private CompletableFuture<RestResponse> annotations(RestRequest req, AuthContext auth, String channel, String serial) {
        if (req.method().equals(HttpMethod.GET)) {
            return node.messageReactions().of(auth, channel, serial).thenApply(list -> RestResponse.ok(new Annotations(list)));
        }
        if (!req.method().equals(HttpMethod.POST)) {
            throw new AblyException(40400, 404, "Not found: " + req.method() + " " + req.raw().uri());
        }
        List<io.rollcall.server.protocol.Annotation> in =
                io.rollcall.server.protocol.ProtocolCodec.of(req.bodyFormat()).decodeAnnotations(req.body());
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (io.rollcall.server.protocol.Annotation a : in) {
            a.messageSerial = a.messageSerial == null ? serial : a.messageSerial;
            done = done.thenCompose(v -> node.messageReactions().annotate(auth, channel, a));
        }
        return done.thenApply(v -> RestResponse.status(HttpResponseStatus.CREATED, Map.of()));
    }

    private CompletableFuture<RestResponse> presence(RestRequest req, AuthContext auth, String channel) {
        require(auth, channel, Operation.SUBSCRIBE);
        int limit = limit(req);
        return node.channelState(new ChannelKey(auth.appId(), channel))
                .thenApply(state -> presencePage(req, state.members(), limit));
    }

    private static RestResponse presencePage(RestRequest req, List<PresenceMessage> members, int limit) {
        String clientId = req.param("clientId");
        String connectionId = req.param("connectionId");
        List<PresenceMessage> filtered = new ArrayList<>();
        for (PresenceMessage p : members) {
            if ((clientId == null || clientId.equals(p.clientId)) && (connectionId == null || connectionId.equals(p.connectionId))) {
                filtered.add(p);
            }
        }
        filtered.sort((a, b) -> a.memberKey().compareTo(b.memberKey()));
        String cursor = req.param("cursor");
        int from = 0;
        if (cursor != null) {
            // The cursor is the last member key of the previous page, so pages stay right as members change.
            while (from < filtered.size() && filtered.get(from).memberKey().compareTo(cursor) <= 0) {
                from++;
            }
        }
        int to = Math.min(filtered.size(), from + limit);
        RestResponse res = RestResponse.ok(new Presences(new ArrayList<>(filtered.subList(from, to))));
        if (to < filtered.size()) {
            StringBuilder next = new StringBuilder("./presence?limit=").append(limit)
                    .append("&cursor=").append(urlEncode(filtered.get(to - 1).memberKey()));
            if (clientId != null) next.append("&clientId=").append(urlEncode(clientId));
            if (connectionId != null) next.append("&connectionId=").append(urlEncode(connectionId));
            res.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return res;
    }

    private CompletableFuture<RestResponse> details(AuthContext auth, String channel) {
        require(auth, channel, Operation.CHANNEL_METADATA);
        return node.channelState(new ChannelKey(auth.appId(), channel))
                .thenApply(state -> RestResponse.ok(channelDetails(channel, state)));
    }

    private static Map<String, Object> channelDetails(String name, ChannelState state) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("isActive", state.isActive());
        status.put("occupancy", Map.of("metrics", state.totalOccupancy().toMap()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channelId", name);
        out.put("status", status);
        return out;
    }

    private CompletableFuture<RestResponse> enumerate(RestRequest req, AuthContext auth) {
        if (!auth.capability().permits("*", Operation.CHANNEL_METADATA)) {
            throw new AblyException(40160, 401, "Channel enumeration needs the channel-metadata capability on '*'");
        }
        String prefix = req.param("prefix");
        // Ably's default: names from API version 3 on, ChannelDetails for older clients.
        String by = req.param("by") != null ? req.param("by") : (apiVersion(req) >= 3 ? "id" : "value");
        if (!by.equals("id") && !by.equals("value")) {
            throw new AblyException(40003, 400, "Invalid value for 'by': expected 'id' or 'value'");
        }
        int limit = limit(req);
        String cursor = req.param("cursor");
        // Sorted names with a "last name seen" cursor: channels that come and go never shift later pages.
        return node.activeChannels(auth.appId(), name -> (prefix == null || name.startsWith(prefix))
                && (cursor == null || name.compareTo(cursor) > 0)
                && auth.capability().permits(name, Operation.CHANNEL_METADATA)).thenCompose(names -> {
            List<String> page = names.subList(0, Math.min(limit, names.size()));
            List<CompletableFuture<Object>> items = new ArrayList<>(page.size());
            for (String name : page) {
                items.add(by.equals("id") ? CompletableFuture.completedFuture(name)
                        : node.channelState(new ChannelKey(auth.appId(), name)).thenApply(s -> channelDetails(name, s)));
            }
            return CompletableFuture.allOf(items.toArray(CompletableFuture[]::new)).thenApply(all -> {
                List<Object> out = new ArrayList<>(items.size());
                for (CompletableFuture<Object> item : items) {
                    out.add(item.join());
                }
                RestResponse res = RestResponse.ok(out);
                if (names.size() > page.size()) {
                    StringBuilder next = new StringBuilder("./channels?limit=").append(limit).append("&by=").append(by)
                            .append("&cursor=").append(urlEncode(page.get(page.size() - 1)));
                    if (prefix != null && !prefix.isEmpty()) next.append("&prefix=").append(urlEncode(prefix));
                    res.header("Link", "<" + next + ">; rel=\"next\"");
                }
                return res;
            });
        });
    }

    private CompletableFuture<RestResponse> chatOccupancy(AuthContext auth, String room) {
        String channel = room + "::$chat";
        ChannelName.validate(channel);
        require(auth, channel, Operation.CHANNEL_METADATA);
        return node.channelState(new ChannelKey(auth.appId(), channel)).thenApply(state -> {
            OccupancyMetrics.Snapshot s = state.totalOccupancy();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("connections", s.connections());
            out.put("presenceMembers", s.presenceMembers());
            return RestResponse.ok(out);
        });
    }

    private static void require(AuthContext auth, String channel, Operation op) {
        if (!auth.capability().permits(channel, op)) {
            throw new AblyException(40160, 401, "Action not permitted by capability: " + op + " on channel " + channel);
        }
    }

    private static int apiVersion(RestRequest req) {
        String v = req.header("X-Ably-Version");
        try {
            return v == null ? Integer.MAX_VALUE : (int) Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static int limit(RestRequest req) {
        String l = req.param("limit");
        if (l == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(l);
            if (v < 1 || v > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AblyException(40003, 400, "Invalid limit: expected 1 to " + MAX_LIMIT);
        }
    }

    static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
