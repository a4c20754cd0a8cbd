package io.rollcall.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.PayloadSize;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat messages of a room, as Ably Chat's REST API v4 handles them: each lives on the room's channel
 * ({@code <room>::$chat}) as a {@code chat.message} whose {@code data} is {@code {text, metadata}} and whose
 * {@code extras} are {@code {headers, userClaim}}. A message is stored in the channel's history first, so its
 * serial (its place there, see {@link ChatSerial}) is its identity; updates and deletes are stored as later
 * versions of it (action {@code message.update}/{@code message.delete}, the same serial, a newer
 * {@code version.serial}) and published to subscribers. What history returns is each message at its latest
 * version. Retention and size of history bound what is kept (Limits {@code historyRetention},
 * {@code historyMaxMessages}).
 */
public final class ChatMessages {
    public static final String MESSAGE_NAME = "chat.message";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Node node;
    private final AtomicLong ids = new AtomicLong();

    public ChatMessages(Node node) {
        this.node = node;
    }

    /** The room's channel. */
    public static String channelOf(String room) {
        String channel = room + "::$chat";
        ChannelName.validate(channel);
        return channel;
    }

    /** What a history request asks for: {@code fromSerial} is an attach or channel serial (untilAttach). */
    public record HistoryRequest(Long start, Long end, boolean forwards, int limit, String fromSerial, String cursor) {}

    /** One page of history, and the serial to continue after when there is more. */
    public record Page(List<Message> items, String next) {}

    // ---------------------------------------------------------------- writes

    public CompletableFuture<Message> send(AuthContext auth, String room, JsonNode body) {
        String channel = channelOf(room);
        require(auth, channel, Operation.PUBLISH, "send messages");
        String clientId = identified(auth);
        if (body == null || !body.isObject() || !body.path("text").isTextual()) {
            throw new AblyException(40001, 400, "unable to send message; text must be a string");
        }
        long now = node.clock().millis();
        Message m = new Message();
        m.name = MESSAGE_NAME;
        m.action = Message.CREATE;
        m.clientId = clientId;
        m.timestamp = now;
        m.data = data(body.path("text").asText(), object(body.get("metadata"), "metadata"));
        m.encoding = "json";
        m.extras = extras(object(body.get("headers"), "headers"), auth.userClaimFor(channel));
        m.id = nextId();
        checkSize(m);
        ChannelKey key = new ChannelKey(auth.appId(), channel);
        return store(key, m).thenCompose(stored -> {
            Message out = m.copy();
            out.serial = ChatSerial.format(stored);
            out.version = version(out.serial, now, null, null);
            return publish(key, out, stored).thenApply(v -> out);
        });
    }

    public CompletableFuture<Message> update(AuthContext auth, String room, String serial, JsonNode body) {
        String channel = channelOf(room);
        String clientId = identified(auth);
        JsonNode message = body == null ? null : body.get("message");
        if (message == null || !message.isObject() || !message.path("text").isTextual()) {
            throw new AblyException(40001, 400, "unable to update message; message.text must be a string");
        }
        return amend(auth, channel, serial, Message.UPDATE, existing -> {
            Message m = existing.copy();
            m.data = data(message.path("text").asText(), object(message.get("metadata"), "metadata"));
            m.encoding = "json";
            m.extras = extras(object(message.get("headers"), "headers"), auth.userClaimFor(channel));
            return m;
        }, clientId, body);
    }

    public CompletableFuture<Message> delete(AuthContext auth, String room, String serial, JsonNode body) {
        String channel = channelOf(room);
        String clientId = identified(auth);
        return amend(auth, channel, serial, Message.DELETE, existing -> {
            Message m = existing.copy();
            m.data = data("", null);
            m.encoding = "json";
            m.extras = extras(null, auth.userClaimFor(channel));
            return m;
        }, clientId, body);
    }

    private interface Amendment {
        Message apply(Message latest);
    }

    /** Stores and publishes a new version of a message, once the capability for this client's change is there. */
    private CompletableFuture<Message> amend(AuthContext auth, String channel, String serial, int action,
                                             Amendment change, String clientId, JsonNode body) {
        HistorySerial target = ChatSerial.parse(serial);
        ChannelKey key = new ChannelKey(auth.appId(), channel);
        String description = body != null && body.path("description").isTextual() ? body.path("description").asText() : null;
        JsonNode operationMetadata = body == null ? null : object(body.get("metadata"), "metadata");
        return latest(key, target).thenCompose(found -> {
            if (found == null) {
                throw notFound(serial);
            }
            boolean own = clientId.equals(found.clientId);
            Operation ownOp = action == Message.UPDATE ? Operation.MESSAGE_UPDATE_OWN : Operation.MESSAGE_DELETE_OWN;
            Operation anyOp = action == Message.UPDATE ? Operation.MESSAGE_UPDATE_ANY : Operation.MESSAGE_DELETE_ANY;
            if (!auth.capability().permits(channel, anyOp) && !(own && auth.capability().permits(channel, ownOp))) {
                throw new AblyException(40160, 401, "unable to " + (action == Message.UPDATE ? "update" : "delete")
                        + " message; the capability " + (own ? "'" + ownOp + "' or '" + anyOp + "'" : "'" + anyOp + "'")
                        + " is needed on channel " + channel);
            }
            long now = node.clock().millis();
            Message m = change.apply(found);
            m.action = action;
            m.serial = found.serial;
            m.id = nextId();
            m.version = version(null, now, clientId, description, operationMetadata);
            checkSize(m);
            return store(key, m).thenCompose(stored -> {
                Message out = m.copy();
                out.version = version(ChatSerial.format(stored), now, clientId, description, operationMetadata);
                return publish(key, out, stored).thenApply(v -> out);
            });
        });
    }

    private CompletableFuture<HistorySerial> store(ChannelKey key, Message m) {
        return node.history().append(key, MessageHistory.Kind.MESSAGES, List.of(m)).thenApply(list -> list.get(0));
    }

    /** Publishes what was stored to the channel's subscribers on every node, with its history serial. */
    private CompletableFuture<Void> publish(ChannelKey key, Message m, HistorySerial stored) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, key.channel());
        pm.id = m.id;
        pm.timestamp = m.version.path("timestamp").asLong(m.timestamp);
        pm.messages = List.of(m);
        Channel ch = node.app(key.appId()).existing(key.channel());
        if (ch != null) {
            ch.stampSerial(pm, stored);
        }
        node.app(key.appId()).meters().messagesIn(1);
        return node.broker().publish(key, Publication.stored(new EncodedMessage(pm), null, stored));
    }

    // ---------------------------------------------------------------- reads

    public CompletableFuture<Message> get(AuthContext auth, String room, String serial) {
        String channel = channelOf(room);
        require(auth, channel, Operation.HISTORY, "get messages");
        HistorySerial target = ChatSerial.parse(serial);
        return latest(new ChannelKey(auth.appId(), channel), target).thenApply(m -> {
            if (m == null) {
                throw notFound(serial);
            }
            return m;
        });
    }

    /** Every version of a message, oldest first. */
    public CompletableFuture<List<Message>> versions(AuthContext auth, String room, String serial) {
        String channel = channelOf(room);
        require(auth, channel, Operation.HISTORY, "get message versions");
        HistorySerial target = ChatSerial.parse(serial);
        return scan(new ChannelKey(auth.appId(), channel), target).thenApply(all -> {
            List<Message> out = new ArrayList<>();
            for (Message m : all) {
                if (m.serial.equals(ChatSerial.format(target))) {
                    out.add(m);
                }
            }
            if (out.isEmpty()) {
                throw notFound(serial);
            }
            return out;
        });
    }

    public CompletableFuture<Page> history(AuthContext auth, String room, HistoryRequest req) {
        String channel = channelOf(room);
        require(auth, channel, Operation.HISTORY, "query message history");
        HistorySerial from = req.start() == null ? HistorySerial.ZERO : HistorySerial.atStartOf(req.start());
        HistorySerial to = req.end() == null ? HistorySerial.MAX : HistorySerial.atEndOf(req.end());
        if (req.fromSerial() != null) {
            to = HistorySerial.min(to, attachPoint(req.fromSerial()));
        }
        if (req.cursor() != null) {
            HistorySerial after = ChatSerial.parse(req.cursor());
            if (req.forwards()) {
                from = HistorySerial.max(from, after.next());
            } else {
                to = HistorySerial.min(to, after.previous());
            }
        }
        HistorySerial lo = from;
        HistorySerial hi = to;
        ChannelKey key = new ChannelKey(auth.appId(), channel);
        if (!req.forwards()) {
            // Newest first (Chat's default, and historyBeforeSubscribe's): walk back only as far as the page
            // needs, then fold in the versions written since its oldest message.
            return createsBackwards(key, lo, hi, req.limit() + 1, new ArrayList<>()).thenCompose(creates -> {
                if (creates.isEmpty()) {
                    return CompletableFuture.completedFuture(new Page(List.of(), null));
                }
                return scan(key, creates.get(creates.size() - 1).serial()).thenApply(all -> {
                    Map<String, Message> latest = collapse(all);
                    List<Message> page = new ArrayList<>(Math.min(req.limit(), creates.size()));
                    for (HistoryEntry e : creates.subList(0, Math.min(req.limit(), creates.size()))) {
                        String serial = ChatSerial.format(e.serial());
                        page.add(latest.getOrDefault(serial, withSerials((Message) e.message(), e.serial())));
                    }
                    return new Page(page, creates.size() > req.limit() ? page.get(page.size() - 1).serial : null);
                });
            });
        }
        return scan(key, lo).thenApply(all -> {
            Map<String, Message> latest = collapse(all);
            List<Message> inRange = new ArrayList<>();
            for (Message m : latest.values()) {
                HistorySerial s = ChatSerial.parse(m.serial);
                if (s.compareTo(lo) >= 0 && s.compareTo(hi) <= 0) {
                    inRange.add(m);
                }
            }
            List<Message> page = new ArrayList<>(inRange.subList(0, Math.min(req.limit(), inRange.size())));
            String next = inRange.size() > page.size() ? page.get(page.size() - 1).serial : null;
            return new Page(page, next);
        });
    }

    /** Up to {@code want} chat messages as created in {@code [lo, hi]}, newest first, read back in chunks. */
    private CompletableFuture<List<HistoryEntry>> createsBackwards(ChannelKey key, HistorySerial lo, HistorySerial hi,
                                                                  int want, List<HistoryEntry> found) {
        if (hi.compareTo(lo) < 0) {
            return CompletableFuture.completedFuture(found);
        }
        int chunk = Math.max(100, 2 * want);
        return node.history().query(key, MessageHistory.Kind.MESSAGES, new HistoryQuery(lo, hi, false, chunk))
                .thenCompose(entries -> {
                    for (HistoryEntry e : entries) {
                        if (e.message() instanceof Message m && MESSAGE_NAME.equals(m.name)
                                && (m.action == null || m.action == Message.CREATE)) {
                            found.add(e);
                            if (found.size() >= want) {
                                return CompletableFuture.completedFuture(found);
                            }
                        }
                    }
                    if (entries.size() < chunk) {
                        return CompletableFuture.completedFuture(found);
                    }
                    return createsBackwards(key, lo, entries.get(entries.size() - 1).serial().previous(), want, found);
                });
    }

    /** The message's latest version, or null when it is not (or no longer) in history. */
    CompletableFuture<Message> latest(ChannelKey key, HistorySerial serial) {
        return scan(key, serial).thenApply(all -> collapse(all).get(ChatSerial.format(serial)));
    }

    /** Each message (by serial, in serial order) at its latest version. */
    private static Map<String, Message> collapse(List<Message> versions) {
        Map<String, Message> latest = new LinkedHashMap<>();
        for (Message m : versions) {
            if (m.action == null || m.action == Message.CREATE) {
                latest.put(m.serial, m);
            } else {
                latest.computeIfPresent(m.serial, (s, before) -> m);
            }
        }
        return latest;
    }

    /** Every chat message version stored at or after {@code from}, oldest first, with serials filled in. */
    private CompletableFuture<List<Message>> scan(ChannelKey key, HistorySerial from) {
        int bound = Math.max(1, node.limits().historyMaxMessages());
        return node.history().query(key, MessageHistory.Kind.MESSAGES, new HistoryQuery(from, HistorySerial.MAX, true, bound))
                .thenApply(entries -> {
                    List<Message> out = new ArrayList<>(entries.size());
                    for (HistoryEntry e : entries) {
                        if (e.message() instanceof Message m && MESSAGE_NAME.equals(m.name)) {
                            out.add(withSerials(m, e.serial()));
                        }
                    }
                    return out;
                });
    }

    /** A stored version as clients see it: a create's serial is where it is stored, as is every version's. */
    static Message withSerials(Message stored, HistorySerial at) {
        Message m = stored.copy();
        String here = ChatSerial.format(at);
        if (m.serial == null) {
            m.serial = here;
        }
        ObjectNode version = m.version instanceof ObjectNode v ? v.deepCopy() : JSON.createObjectNode();
        version.put("serial", here);
        if (!version.has("timestamp")) {
            version.put("timestamp", m.timestamp);
        }
        m.version = version;
        return m;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Extras with the sender's Chat user claim for the channel's room ({@code extras.userClaim}), as Ably adds it
     * to whatever is sent in a room by a client whose JWT has an {@code ably.room.<room>} claim; any claim the
     * client put there itself is replaced, so the field can be trusted.
     */
    public static JsonNode withUserClaim(JsonNode extras, AuthContext auth, String channel) {
        String claim = auth.userClaimFor(channel);
        boolean forged = extras != null && extras.has("userClaim");
        if (claim == null && !forged) {
            return extras;
        }
        ObjectNode out = extras instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
        if (claim == null) {
            out.remove("userClaim");
        } else {
            out.put("userClaim", claim);
        }
        return out;
    }

    /** The history point of an attach or channel serial ({@code counter:ms-seq}), or a chat serial. */
    static HistorySerial attachPoint(String fromSerial) {
        int colon = fromSerial.lastIndexOf(':');
        HistorySerial s = colon < 0 ? ChatSerial.tryParse(fromSerial) : HistorySerial.parse(fromSerial.substring(colon + 1));
        if (s == null) {
            throw new AblyException(40003, 400, "Invalid fromSerial: not an attach or message serial from this server");
        }
        return s;
    }

    private String nextId() {
        return "chat-" + node.nodeId() + "-" + ids.incrementAndGet();
    }

    private void checkSize(Message m) {
        long size = PayloadSize.of(m);
        if (size > node.limits().maxMessageSize()) {
            throw new AblyException(40009, 400, "Maximum message length exceeded (" + size + " bytes; limit "
                    + node.limits().maxMessageSize() + ")");
        }
    }

    static void require(AuthContext auth, String channel, Operation op, String what) {
        if (!auth.capability().permits(channel, op)) {
            throw new AblyException(40160, 401, "unable to " + what + "; the capability '" + op
                    + "' is needed on channel " + channel);
        }
    }

    /** Chat attributes everything to a user: the credentials must name one. */
    static String identified(AuthContext auth) {
        if (!auth.isIdentified()) {
            throw new AblyException(40012, 400, "Chat needs a clientId: use credentials with one (or send X-Ably-ClientId)");
        }
        return auth.clientId();
    }

    static AblyException notFound(String serial) {
        return new AblyException(40400, 404, "Message not found: " + serial);
    }

    private static JsonNode object(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new AblyException(40001, 400, field + " must be an object");
        }
        return n;
    }

    private static String data(String text, JsonNode metadata) {
        ObjectNode d = JSON.createObjectNode();
        d.put("text", text);
        d.set("metadata", metadata == null ? JSON.createObjectNode() : metadata);
        return d.toString();
    }

    private static ObjectNode extras(JsonNode headers, String userClaim) {
        ObjectNode e = JSON.createObjectNode();
        e.set("headers", headers == null ? JSON.createObjectNode() : headers);
        if (userClaim != null) {
            e.put("userClaim", userClaim);
        }
        return e;
    }

    private static ObjectNode version(String serial, long timestamp, String clientId, String description) {
        return version(serial, timestamp, clientId, description, null);
    }

    private static ObjectNode version(String serial, long timestamp, String clientId, String description, JsonNode metadata) {
        ObjectNode v = JSON.createObjectNode();
        if (serial != null) v.put("serial", serial);
        v.put("timestamp", timestamp);
        if (clientId != null) v.put("clientId", clientId);
        if (description != null) v.put("description", description);
        if (metadata != null) v.set("metadata", metadata);
        return v;
    }
}
