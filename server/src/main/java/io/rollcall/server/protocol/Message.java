package io.rollcall.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A channel message (Ably TM). {@code data} is format-neutral: a {@link String}, a {@code byte[]}, or null.
 * Codecs turn JSON base64 into bytes on the way in (dropping the trailing "base64" from {@code encoding}) and
 * back on the way out, so one decoded message can be re-encoded for either wire format.
 */
public final class Message {
    public String id;
    public String name;
    public String clientId;
    public String connectionId;
    public Object data;
    public String encoding;
    public JsonNode extras;
    public long timestamp;

    public Message copy() {
        Message m = new Message();
        m.id = id;
        m.name = name;
        m.clientId = clientId;
        m.connectionId = connectionId;
        m.data = data;
        m.encoding = encoding;
        m.extras = extras;
        m.timestamp = timestamp;
        return m;
    }
}
