package io.rollcall.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.ChatMessages;
import io.rollcall.server.core.ChatSerial;
import io.rollcall.server.core.MessageReactions;
import io.rollcall.server.core.Node;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Ably Chat's REST API v4 for messages under {@code /chat/v4/rooms/{room}/messages}: send, history, get,
 * update, delete, versions, and message reactions (send, delete, a client's own). Messages go out in the
 * v4 REST shape: {@code serial, version, text, clientId, action, metadata, headers, userClaim, timestamp,
 * reactions}.
 */
final class ChatEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ACTIONS = {"message.create", "message.update", "message.delete"};

    private final Node node;
    private final ChatMessages messages;
    private final MessageReactions reactions;

    ChatEndpoints(Node node) {
        this.node = node;
        this.messages = node.chatMessages();
        this.reactions = node.messageReactions();
    }

    /** Segments after {@code chat/v4/rooms/{room}/messages}; null when the route is not one of these. */
    CompletableFuture<RestResponse> handle(RestRequest req, AuthContext auth, String room) {
        HttpMethod m = req.method();
        int n = req.segmentCount();
        String serial = req.segment(5);
        String tail = req.segment(6);
        if (n == 5 && m.equals(HttpMethod.POST)) {
            return messages.send(auth, room, body(req))
                    .thenApply(msg -> RestResponse.status(HttpResponseStatus.CREATED, rest(msg, null)));
        }
        if (n == 5 && m.equals(HttpMethod.GET)) {
            return history(req, auth, room);
        }
        if (n == 6 && m.equals(HttpMethod.GET)) {
            return withReactions(auth, room, messages.get(auth, room, serial), one -> RestResponse.ok(one.get(0)));
        }
        if (n == 6 && m.equals(HttpMethod.PUT)) {
            return messages.update(auth, room, serial, body(req)).thenApply(msg -> RestResponse.ok(rest(msg, null)));
        }
        if (n == 7 && m.equals(HttpMethod.POST) && "delete".equals(tail)) {
            return messages.delete(auth, room, serial, optionalBody(req)).thenApply(msg -> RestResponse.ok(rest(msg, null)));
        }
        if (n == 7 && m.equals(HttpMethod.GET) && "versions".equals(tail)) {
            return messages.versions(auth, room, serial).thenApply(list -> {
                List<Object> out = new ArrayList<>(list.size());
                for (Message v : list) {
                    out.add(rest(v, null));
                }
                return RestResponse.ok(out);
            });
        }
        if (n == 7 && "reactions".equals(tail) && m.equals(HttpMethod.POST)) {
            JsonNode b = body(req);
            Integer count = b.hasNonNull("count") ? b.get("count").asInt() : null;
            return reactions.react(auth, room, serial, text(b, "type"), text(b, "name"), count, false)
                    .thenApply(v -> RestResponse.status(HttpResponseStatus.CREATED, Map.of()));
        }
        if (n == 7 && "reactions".equals(tail) && m.equals(HttpMethod.DELETE)) {
            return reactions.react(auth, room, serial, req.param("type"), req.param("name"), null, true)
                    .thenApply(v -> RestResponse.ok(Map.of()));
        }
        if (n == 7 && "client-reactions".equals(tail) && m.equals(HttpMethod.GET)) {
            return reactions.clientReactions(auth, room, serial, req.param("forClientId")).thenApply(RestResponse::ok);
        }
        return null;
    }

    private CompletableFuture<RestResponse> history(RestRequest req, AuthContext auth, String room) {
        int limit = RestApi.limit(req);
        String direction = req.param("direction");
        if (direction == null) {
            String orderBy = req.param("orderBy");
            direction = "oldestFirst".equals(orderBy) ? "forwards" : "backwards";
        }
        if (!direction.equals("backwards") && !direction.equals("forwards")) {
            throw new AblyException(40003, 400, "Invalid direction: expected 'backwards' or 'forwards'");
        }
        Long start = HistoryEndpoints.time(req, "start");
        Long end = HistoryEndpoints.time(req, "end");
        String fromSerial = req.param("fromSerial") != null ? req.param("fromSerial") : req.param("from_serial");
        String cursor = req.param("cursor");
        String dir = direction;
        ChatMessages.HistoryRequest hr = new ChatMessages.HistoryRequest(start, end, direction.equals("forwards"),
                limit, fromSerial, cursor);
        CompletableFuture<ChatMessages.Page> page = messages.history(auth, room, hr);
        return page.thenCompose(p -> withReactions(auth, room, CompletableFuture.completedFuture(p.items()), items -> {
            RestResponse res = RestResponse.ok(items);
            StringBuilder base = new StringBuilder("./messages?limit=").append(limit).append("&direction=").append(dir);
            if (start != null) base.append("&start=").append(start);
            if (end != null) base.append("&end=").append(end);
            if (fromSerial != null) base.append("&fromSerial=").append(RestApi.urlEncode(fromSerial));
            StringBuilder links = new StringBuilder();
            links.append('<').append(base).append(">; rel=\"first\", <").append(base);
            if (cursor != null) links.append("&cursor=").append(RestApi.urlEncode(cursor));
            links.append(">; rel=\"current\"");
            if (p.next() != null) {
                links.append(", <").append(base).append("&cursor=").append(RestApi.urlEncode(p.next())).append(">; rel=\"next\"");
            }
            return res.header("Link", links.toString());
        }));
    }

    /** Adds each message's reactions summary, then answers. */
    private <T> CompletableFuture<RestResponse> withReactions(AuthContext auth, String room, CompletableFuture<T> read,
                                                              Function<List<ObjectNode>, RestResponse> answer) {
        return read.thenCompose(value -> {
            @SuppressWarnings("unchecked")
            List<Message> list = value instanceof List<?> l ? (List<Message>) l : List.of((Message) value);
            if (list.isEmpty()) {
                return CompletableFuture.completedFuture(answer.apply(List.of()));
            }
            io.rollcall.server.core.HistorySerial from = null;
            for (Message m : list) {
                io.rollcall.server.core.HistorySerial s = ChatSerial.parse(m.serial);
                from = from == null || s.compareTo(from) < 0 ? s : from;
            }
            ChannelKey key = new ChannelKey(auth.appId(), ChatMessages.channelOf(room));
            return reactions.summaries(key, from).thenApply(summaries -> {
                List<ObjectNode> out = new ArrayList<>(list.size());
                for (Message m : list) {
                    out.add(rest(m, summaries.get(m.serial)));
                }
                return answer.apply(out);
            });
        });
    }

    /** A stored or published chat message in the REST v4 shape. */
    static ObjectNode rest(Message m, ObjectNode summary) {
        ObjectNode out = JSON.createObjectNode();
        out.put("serial", m.serial);
        out.set("version", m.version);
        JsonNode data = parseData(m);
        out.put("text", data.path("text").asText(""));
        out.put("clientId", m.clientId);
        int action = m.action == null ? 0 : m.action;
        out.put("action", action < ACTIONS.length ? ACTIONS[action] : ACTIONS[0]);
        out.set("metadata", data.path("metadata").isObject() ? data.get("metadata") : JSON.createObjectNode());
        JsonNode extras = m.extras;
        out.set("headers", extras != null && extras.path("headers").isObject() ? extras.get("headers") : JSON.createObjectNode());
        if (extras != null && extras.path("userClaim").isTextual()) {
            out.put("userClaim", extras.get("userClaim").asText());
        }
        out.put("timestamp", m.timestamp);
        if (summary != null) {
            out.set("reactions", MessageReactions.restReactions(summary));
        }
        return out;
    }

    private static JsonNode parseData(Message m) {
        if (m.data instanceof String s) {
            try {
                return JSON.readTree(s);
            } catch (java.io.IOException e) {
                return JSON.createObjectNode();
            }
        }
        return JSON.createObjectNode();
    }

    private static JsonNode body(RestRequest req) {
        if (req.body().length == 0) {
            throw new AblyException(40001, 400, "A request body is required");
        }
        return ProtocolCodec.of(req.bodyFormat()).decodeTree(req.body());
    }

    private static JsonNode optionalBody(RestRequest req) {
        return req.body().length == 0 ? null : ProtocolCodec.of(req.bodyFormat()).decodeTree(req.body());
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
