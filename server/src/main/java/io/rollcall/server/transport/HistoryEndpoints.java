package io.rollcall.server.transport;

import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.core.ChannelKey;
import io.rollcall.server.core.HistoryEntry;
import io.rollcall.server.core.HistoryQuery;
import io.rollcall.server.core.HistorySerial;
import io.rollcall.server.core.MessageHistory;
import io.rollcall.server.core.Node;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /channels/{id}/messages} and {@code GET /channels/{id}/presence/history}: Ably's history shapes
 * and pagination. {@code start}/{@code end} (ms, inclusive), {@code direction} (backwards by default),
 * {@code limit} (100; at most 1000), {@code from_serial}/{@code fromSerial} (an attach serial: untilAttach),
 * and the {@code cursor} of a {@code rel="next"} link, which is the serial of the page's last item, so pages
 * stay right as new messages arrive. Needs the {@code history} capability.
 */
final class HistoryEndpoints {
    private final Node node;

    HistoryEndpoints(Node node) {
        this.node = node;
    }

    CompletableFuture<RestResponse> messages(RestRequest req, AuthContext auth, String channel) {
        return page(req, auth, channel, MessageHistory.Kind.MESSAGES, "messages");
    }

    CompletableFuture<RestResponse> presence(RestRequest req, AuthContext auth, String channel) {
        return page(req, auth, channel, MessageHistory.Kind.PRESENCE, "history");
    }

    private CompletableFuture<RestResponse> page(RestRequest req, AuthContext auth, String channel,
                                                 MessageHistory.Kind kind, String linkPath) {
        if (!auth.capability().permits(channel, Operation.HISTORY)) {
            throw new AblyException(40160, 401, "Action not permitted by capability: history on channel " + channel);
        }
        int limit = RestApi.limit(req);
        String direction = req.param("direction") == null ? "backwards" : req.param("direction");
        if (!direction.equals("backwards") && !direction.equals("forwards")) {
            throw new AblyException(40003, 400, "Invalid direction: expected 'backwards' or 'forwards'");
        }
        boolean forwards = direction.equals("forwards");
        Long start = time(req, "start");
        Long end = time(req, "end");
        if (start != null && end != null && start > end) {
            throw new AblyException(40003, 400, "Invalid range: start is after end");
        }
        HistorySerial from = start == null ? HistorySerial.ZERO : HistorySerial.atStartOf(start);
        HistorySerial to = end == null ? HistorySerial.MAX : HistorySerial.atEndOf(end);
        String attachSerial = req.param("from_serial") != null ? req.param("from_serial") : req.param("fromSerial");
        if (attachSerial != null) {
            to = HistorySerial.min(to, attachPoint(attachSerial));
        }
        String cursor = req.param("cursor");
        HistorySerial after = null;
        if (cursor != null) {
            after = HistorySerial.parse(cursor);
            if (after == null) {
                throw new AblyException(40003, 400, "Invalid cursor");
            }
            if (forwards) {
                from = HistorySerial.max(from, after.next());
            } else {
                to = HistorySerial.min(to, after.previous());
            }
        }
        // One more than asked for says whether a next page exists.
        HistoryQuery query = new HistoryQuery(from, to, forwards, Math.min(limit + 1, RestApi.MAX_LIMIT + 1));
        CompletableFuture<List<HistoryEntry>> read = query.isEmpty() ? CompletableFuture.completedFuture(List.of())
                : node.history().query(new ChannelKey(auth.appId(), channel), kind, query);
        return read.thenApply(entries -> {
            List<HistoryEntry> page = entries.subList(0, Math.min(limit, entries.size()));
            RestResponse res = kind == MessageHistory.Kind.PRESENCE
                    ? RestResponse.ok(new RestApi.Presences(items(page, PresenceMessage.class)))
                    : RestResponse.ok(new RestApi.Messages(items(page, Message.class)));
            StringBuilder base = new StringBuilder("./").append(linkPath).append("?limit=").append(limit)
                    .append("&direction=").append(direction);
            if (start != null) base.append("&start=").append(start);
            if (end != null) base.append("&end=").append(end);
            if (attachSerial != null) base.append("&from_serial=").append(RestApi.urlEncode(attachSerial));
            res.addHeader("Link", "<" + base + ">; rel=\"first\"");
            res.addHeader("Link", "<" + base + (cursor == null ? "" : "&cursor=" + RestApi.urlEncode(cursor)) + ">; rel=\"current\"");
            if (entries.size() > limit) {
                res.addHeader("Link", "<" + base + "&cursor=" + RestApi.urlEncode(page.get(page.size() - 1).serial().toString())
                        + ">; rel=\"next\"");
            }
            return res;
        });
    }

    /** The history point of an attach serial ({@code channelSerial:historySerial}, see Channel.attach). */
    private static HistorySerial attachPoint(String attachSerial) {
        int colon = attachSerial.lastIndexOf(':');
        HistorySerial s = HistorySerial.parse(colon < 0 ? attachSerial : attachSerial.substring(colon + 1));
        if (s == null || colon < 0) {
            throw new AblyException(40003, 400, "Invalid from_serial: not an attach serial from this server");
        }
        return s;
    }

    static Long time(RestRequest req, String name) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new AblyException(40003, 400, "Invalid " + name + ": expected milliseconds since the epoch");
        }
    }

    private static <T> List<T> items(List<HistoryEntry> entries, Class<T> type) {
        List<T> out = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            out.add(type.cast(e.readable()));
        }
        return out;
    }
}
