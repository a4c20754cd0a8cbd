package io.rollcall.server.transport;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A REST answer before encoding: a status, a value encoded in the negotiated format, and extra headers. */
record RestResponse(HttpResponseStatus status, Object value, Map<String, List<String>> headers) {
    static RestResponse ok(Object value) {
        return new RestResponse(HttpResponseStatus.OK, value, new LinkedHashMap<>());
    }

    static RestResponse status(HttpResponseStatus status, Object value) {
        return new RestResponse(status, value, new LinkedHashMap<>());
    }

    RestResponse header(String name, String value) {
        headers.put(name, new ArrayList<>(List.of(value)));
        return this;
    }

    /** One more header line of that name (Link: ably-java reads one link per line, ably-js either way). */
    RestResponse addHeader(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }
}
