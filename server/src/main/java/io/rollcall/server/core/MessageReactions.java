package io.rollcall.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Annotation;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Chat message reactions: annotations of a message ({@code reaction:unique.v1}, {@code reaction:distinct.v1},
 * {@code reaction:multiple.v1}) kept in the channel's annotation log, and the summary of them that Ably
 * publishes after each change (a {@code message.summary} MESSAGE, {@code annotations.summary} keyed by type).
 * The raw annotations go to attachments with the ANNOTATION_SUBSCRIBE mode as ANNOTATION protocol messages.
 *
 * <p>Aggregation, per message, in order: unique keeps each client's latest reaction; distinct each client's
 * reactions by name; multiple adds each client's counts by name. A delete removes the client's reaction
 * (unique), or its reaction of that name (distinct, multiple). At most {@code maxReactionsPerMessage}
 * annotations are taken per message (40009 past it).
 */
public final class MessageReactions {
    public static final String UNIQUE = "reaction:unique.v1";
    public static final String DISTINCT = "reaction:distinct.v1";
    public static final String MULTIPLE = "reaction:multiple.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Node node;
    private final ChatMessages messages;
    /** Per channel, the last summary under way on this node (removed once nothing follows it). */
    private final java.util.concurrent.ConcurrentMap<ChannelKey, CompletableFuture<Void>> summaryQueues =
            new java.util.concurrent.ConcurrentHashMap<>();

    public MessageReactions(Node node, ChatMessages messages) {
        this.node = node;
        this.messages = messages;
    }

    /** The annotation type of a Chat reaction type ({@code unique}, {@code distinct}, {@code multiple}). */
    static String annotationType(String chatType) {
        return switch (chatType == null ? "" : chatType) {
            case "unique" -> UNIQUE;
            case "distinct" -> DISTINCT;
            case "multiple" -> MULTIPLE;
            default -> throw new AblyException(40001, 400,
                    "unable to handle reaction; type must be one of unique, distinct, multiple, not '" + chatType + "'");
        };
    }

    /** Adds ({@code delete} false) or removes a reaction: stored, then the raw event and the new summary go out. */
    public CompletableFuture<Void> react(AuthContext auth, String room, String serial, String chatType, String name,
                                         Integer count, boolean delete) {
        String channel = ChatMessages.channelOf(room);
        Annotation a = new Annotation();
        a.action = delete ? Annotation.DELETE : Annotation.CREATE;
        a.type = annotationType(chatType);
        a.name = name == null || name.isEmpty() ? null : name;
        a.count = count;
        a.messageSerial = serial;
        return annotate(auth, channel, a);
    }

    /**
     * Publishes an annotation of a message on a channel (from the Chat REST API, ably-js's
     * {@code channel.annotations}, or a realtime ANNOTATION): checked, stored in the channel's annotation log,
     * then sent raw to annotation subscribers, and the message's new summary to every subscriber.
     */
    public CompletableFuture<Void> annotate(AuthContext auth, String channel, Annotation in) {
        boolean delete = in.action == Annotation.DELETE;
        if (in.action != Annotation.CREATE && !delete) {
            throw new AblyException(40000, 400, "Invalid annotation action " + in.action);
        }
        ChatMessages.require(auth, channel, Operation.ANNOTATION_PUBLISH, (delete ? "delete" : "publish") + " annotations");
        String clientId = ChatMessages.identified(auth);
        if (in.clientId != null && !in.clientId.equals(clientId)) {
            throw new AblyException(40012, 400, "Mismatched clientId: annotation clientId '" + in.clientId
                    + "' differs from the credentials' '" + clientId + "'");
        }
        String type = in.type;
        if (type == null || type.isEmpty()) {
            throw new AblyException(40003, 400, "unable to publish annotation; type is required");
        }
        boolean reaction = type.equals(UNIQUE) || type.equals(DISTINCT) || type.equals(MULTIPLE);
        if (reaction && in.name == null && !(delete && type.equals(UNIQUE))) {
            throw new AblyException(40001, 400, "unable to handle reaction; name is required");
        }
        if (in.count != null && (!type.equals(MULTIPLE) || in.count < 1 || delete)) {
            throw new AblyException(40001, 400, "unable to handle reaction; count is only for adding multiple reactions, and at least 1");
        }
        HistorySerial target = ChatSerial.parse(in.messageSerial);
        ChannelKey key = new ChannelKey(auth.appId(), channel);
        return messages.latest(key, target).thenCompose(message -> {
            if (message == null) {
                throw ChatMessages.notFound(in.messageSerial);
            }
            if (message.action != null && message.action == Message.DELETE && !delete) {
                throw new AblyException(40000, 400, "unable to annotate; the message was deleted");
            }
            return annotations(key, target).thenCompose(existing -> {
                int added = 0;
                for (Annotation e : existing) {
                    if (e.messageSerial.equals(message.serial) && e.action == Annotation.CREATE) {
                        added++;
                    }
                }
                if (!delete && added >= node.limits().maxReactionsPerMessage()) {
                    throw new AblyException(40009, 400, "unable to annotate; the message has the maximum of "
                            + node.limits().maxReactionsPerMessage() + " reactions");
                }
                Annotation a = in.copy();
                a.id = null;
                a.serial = null;
                if (type.equals(MULTIPLE) && !delete && in.count == null) {
                    a.count = 1; // a multiple reaction counts one unless told otherwise
                }
                a.clientId = clientId;
                a.messageSerial = message.serial;
                a.timestamp = node.clock().millis();
                a.extras = ChatMessages.withUserClaim(in.extras, auth, channel);
                return node.history().append(key, MessageHistory.Kind.ANNOTATIONS, List.of(a)).thenCompose(stored -> {
                    Annotation out = a.copy();
                    out.serial = ChatSerial.format(stored.get(0));
                    out.id = out.serial;
                    return publishRaw(key, out).thenCompose(v -> summarise(key, target, message.serial));
                });
            });
        });
    }

    /** A message's annotations, oldest first (REST {@code GET .../messages/{serial}/annotations}). */
    public CompletableFuture<List<Annotation>> of(AuthContext auth, String channel, String serial) {
        ChatMessages.require(auth, channel, Operation.SUBSCRIBE, "get annotations");
        HistorySerial target = ChatSerial.parse(serial);
        String wanted = ChatSerial.format(target);
        return annotations(new ChannelKey(auth.appId(), channel), target).thenApply(all -> {
            List<Annotation> out = new ArrayList<>();
            for (Annotation a : all) {
                if (wanted.equals(a.messageSerial)) {
                    out.add(a);
                }
            }
            return out;
        });
    }

    /** The reactions one client has made on a message, in the shape of a message's {@code reactions}. */
    public CompletableFuture<ObjectNode> clientReactions(AuthContext auth, String room, String serial, String forClientId) {
        String channel = ChatMessages.channelOf(room);
        ChatMessages.require(auth, channel, Operation.SUBSCRIBE, "get client reactions");
        String clientId = forClientId != null && !forClientId.isEmpty() ? forClientId : ChatMessages.identified(auth);
        HistorySerial target = ChatSerial.parse(serial);
        return annotations(new ChannelKey(auth.appId(), channel), target)
                .thenApply(all -> restReactions(onlyClient(summaries(all).get(ChatSerial.format(target)), clientId)));
    }

    /**
     * The summary narrowed to the reactions of one client, as Ably answers client-reactions: totals stay those
     * of everyone, the client lists name only that client, and names it did not react with are left out.
     */
    private static ObjectNode onlyClient(ObjectNode summary, String clientId) {
        ObjectNode out = JSON.createObjectNode();
        if (summary == null) {
            return out;
        }
        summary.fields().forEachRemaining(type -> {
            ObjectNode kept = out.putObject(type.getKey());
            type.getValue().fields().forEachRemaining(byName -> {
                JsonNode entry = byName.getValue();
                JsonNode ids = entry.path("clientIds");
                boolean has = ids.isObject() ? ids.has(clientId) : containsText(ids, clientId);
                if (!has) {
                    return;
                }
                ObjectNode copy = ((ObjectNode) entry).deepCopy();
                if (ids.isObject()) {
                    copy.putObject("clientIds").set(clientId, ids.get(clientId));
                } else {
                    copy.putArray("clientIds").add(clientId);
                }
                kept.set(byName.getKey(), copy);
            });
        });
        return out;
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Summaries by message serial, of the messages at or after {@code from}. */
    public CompletableFuture<Map<String, ObjectNode>> summaries(ChannelKey key, HistorySerial from) {
        return annotations(key, from).thenApply(MessageReactions::summaries);
    }

    /** A summary ({@code annotations.summary}) in the shape of a REST message's {@code reactions}. */
    public static ObjectNode restReactions(ObjectNode summary) {
        ObjectNode out = JSON.createObjectNode();
        out.set("unique", ofType(summary, UNIQUE));
        out.set("distinct", ofType(summary, DISTINCT));
        out.set("multiple", ofType(summary, MULTIPLE));
        return out;
    }

    private static JsonNode ofType(ObjectNode summary, String type) {
        return summary != null && summary.path(type).isObject() ? summary.get(type) : JSON.createObjectNode();
    }

    private CompletableFuture<List<Annotation>> annotations(ChannelKey key, HistorySerial from) {
        // A message's annotations come after it, so its serial's millisecond bounds them.
        HistorySerial start = HistorySerial.atStartOf(from.ms());
        int bound = Math.max(1, node.limits().historyMaxMessages());
        return node.history().query(key, MessageHistory.Kind.ANNOTATIONS, new HistoryQuery(start, HistorySerial.MAX, true, bound))
                .thenApply(entries -> {
                    List<Annotation> out = new ArrayList<>(entries.size());
                    for (HistoryEntry e : entries) {
                        if (e.message() instanceof Annotation a) {
                            Annotation copy = a.copy();
                            copy.serial = ChatSerial.format(e.serial());
                            out.add(copy);
                        }
                    }
                    return out;
                });
    }

    /**
     * Reads the message's annotations and publishes its summary, one channel at a time on this node: each read
     * sees every annotation stored before it, so the last summary sent is the newest. (Nodes summarise
     * independently: across nodes, a summary may overtake a newer one; the next change corrects it.)
     */
    private CompletableFuture<Void> summarise(ChannelKey key, HistorySerial target, String messageSerial) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> previous = summaryQueues.put(key, mine);
        return (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .thenCompose(v -> annotations(key, target))
                .thenCompose(all -> publishSummary(key, messageSerial, all))
                .whenComplete((v, e) -> {
                    summaryQueues.remove(key, mine);
                    mine.complete(null); // the next summary goes on whatever became of this one
                });
    }

    private CompletableFuture<Void> publishRaw(ChannelKey key, Annotation a) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ANNOTATION, key.channel());
        pm.id = a.serial;
        pm.timestamp = a.timestamp;
        pm.annotations = List.of(a);
        return publish(key, pm);
    }

    private CompletableFuture<Void> publishSummary(ChannelKey key, String messageSerial, List<Annotation> all) {
        ObjectNode summary = summaries(all).get(messageSerial);
        Message m = new Message();
        m.action = Message.SUMMARY;
        m.serial = messageSerial;
        m.timestamp = node.clock().millis();
        ObjectNode annotations = JSON.createObjectNode();
        annotations.set("summary", summary == null ? JSON.createObjectNode() : summary);
        m.annotations = annotations;
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, key.channel());
        pm.timestamp = m.timestamp;
        pm.messages = List.of(m);
        return publish(key, pm);
    }

    /** Out to every node holding the channel, not stored (the annotation log has it already). */
    private CompletableFuture<Void> publish(ChannelKey key, ProtocolMessage pm) {
        Channel ch = node.app(key.appId()).existing(key.channel());
        if (ch != null) {
            ch.stampSerial(pm);
        }
        return node.broker().publish(key, Publication.messages(new EncodedMessage(pm), null));
    }

    /** Folds annotations (oldest first) into a summary per message serial, keyed by annotation type. */
    static Map<String, ObjectNode> summaries(List<Annotation> annotations) {
        Map<String, Fold> folds = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            folds.computeIfAbsent(a.messageSerial, s -> new Fold()).apply(a);
        }
        Map<String, ObjectNode> out = new HashMap<>();
        folds.forEach((serial, fold) -> out.put(serial, fold.summary()));
        return out;
    }

    /** The running state of one message's reactions. */
    private static final class Fold {
        final Set<String> types = new LinkedHashSet<>();
        final Map<String, String> unique = new LinkedHashMap<>();
        final Map<String, Set<String>> distinct = new LinkedHashMap<>();
        final Map<String, Map<String, Integer>> multiple = new LinkedHashMap<>();

        void apply(Annotation a) {
            types.add(a.type);
            String client = a.clientId;
            boolean create = a.action == Annotation.CREATE;
            switch (a.type) {
                case UNIQUE -> {
                    unique.remove(client);
                    if (create) {
                        unique.put(client, a.name);
                    }
                }
                case DISTINCT -> {
                    if (create) {
                        distinct.computeIfAbsent(a.name, n -> new LinkedHashSet<>()).add(client);
                    } else if (distinct.containsKey(a.name)) {
                        distinct.get(a.name).remove(client);
                    }
                }
                case MULTIPLE -> {
                    if (create) {
                        multiple.computeIfAbsent(a.name, n -> new LinkedHashMap<>())
                                .merge(client, a.count == null ? 1 : a.count, Integer::sum);
                    } else if (multiple.containsKey(a.name)) {
                        multiple.get(a.name).remove(client);
                    }
                }
                default -> { /* another kind of annotation: not a reaction */ }
            }
        }

        ObjectNode summary() {
            ObjectNode out = JSON.createObjectNode();
            if (types.contains(UNIQUE)) {
                Map<String, Set<String>> byName = new LinkedHashMap<>();
                unique.forEach((client, name) -> byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(client));
                out.set(UNIQUE, clientLists(byName));
            }
            if (types.contains(DISTINCT)) {
                out.set(DISTINCT, clientLists(distinct));
            }
            if (types.contains(MULTIPLE)) {
                ObjectNode m = JSON.createObjectNode();
                multiple.forEach((name, counts) -> {
                    if (counts.isEmpty()) {
                        return;
                    }
                    ObjectNode entry = m.putObject(name);
                    int total = 0;
                    ObjectNode ids = JSON.createObjectNode();
                    for (Map.Entry<String, Integer> e : counts.entrySet()) {
                        total += e.getValue();
                        ids.put(e.getKey(), e.getValue());
                    }
                    entry.put("total", total);
                    entry.set("clientIds", ids);
                    entry.put("totalUnidentified", 0);
                    entry.put("clipped", false);
                    entry.put("totalClientIds", counts.size());
                });
                out.set(MULTIPLE, m);
            }
            return out;
        }

        private static ObjectNode clientLists(Map<String, ? extends Collection<String>> byName) {
            ObjectNode out = JSON.createObjectNode();
            byName.forEach((name, clients) -> {
                if (clients.isEmpty()) {
                    return;
                }
                ObjectNode entry = out.putObject(name);
                entry.put("total", clients.size());
                ArrayNode ids = entry.putArray("clientIds");
                clients.forEach(ids::add);
                entry.put("clipped", false);
            });
            return out;
        }
    }
}
