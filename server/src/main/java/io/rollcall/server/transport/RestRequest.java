package io.rollcall.server.transport;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.rollcall.server.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A REST request as the API sees it: decoded path segments, query, headers, body and negotiated format. */
record RestRequest(HttpMethod method, List<String> segments, Map<String, List<String>> query,
                   FullHttpRequest raw, byte[] body, WireFormat responseFormat, WireFormat bodyFormat) {

    static RestRequest of(FullHttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        List<String> segments = new ArrayList<>();
        // Split the raw path first: channel names may contain an encoded '/', decoded only within a segment.
        String rawPath = qs.rawPath();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                segments.add(QueryStringDecoder.decodeComponent(part));
            }
        }
        byte[] body = new byte[req.content().readableBytes()];
        req.content().getBytes(req.content().readerIndex(), body);
        return new RestRequest(req.method(), segments, qs.parameters(), req, body,
                negotiate(req.headers().get(HttpHeaderNames.ACCEPT)),
                contentFormat(req.headers().get(HttpHeaderNames.CONTENT_TYPE)));
    }

    /** msgpack only when the client asks for it; Node ably-js decodes success bodies in its own format. */
    private static WireFormat negotiate(String accept) {
        if (accept != null && accept.toLowerCase().contains("application/x-msgpack")) {
            int mp = accept.toLowerCase().indexOf("application/x-msgpack");
            int js = accept.toLowerCase().indexOf("application/json");
            return js >= 0 && js < mp ? WireFormat.JSON : WireFormat.MSGPACK;
        }
        return WireFormat.JSON;
    }

    private static WireFormat contentFormat(String contentType) {
        return contentType != null && contentType.toLowerCase().contains("msgpack") ? WireFormat.MSGPACK : WireFormat.JSON;
    }

    String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    String header(CharSequence name) {
        return raw.headers().get(name);
    }

    int segmentCount() {
        return segments.size();
    }

    String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }
}
