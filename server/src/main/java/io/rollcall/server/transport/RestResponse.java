package io.rollcall.server.transport;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** A REST answer before encoding: a status, a value encoded in the negotiated format, and extra headers. */
record RestResponse(HttpResponseStatus status, Object value, Map<String, String> headers) {
    static RestResponse ok(Object value) {
        return new RestResponse(HttpResponseStatus.OK, value, new LinkedHashMap<>());
    }

    static RestResponse status(HttpResponseStatus status, Object value) {
        return new RestResponse(status, value, new LinkedHashMap<>());
    }

    RestResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
