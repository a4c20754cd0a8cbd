package io.rollcall.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What channel messages and presence messages share (Ably's BaseMessage). {@code data} is format-neutral: a
 * {@link String}, a {@code byte[]}, or null. Codecs turn JSON base64 into bytes on the way in (dropping the
 * trailing "base64" from {@code encoding}) and back on the way out, so one decoded message can be re-encoded
 * for either wire format.
 */
public abstract class BaseMessage {
    public String id;
    public String clientId;
    public String connectionId;
    public Object data;
    public String encoding;
    public JsonNode extras;
    public long timestamp;

    protected void copyInto(BaseMessage m) {
        m.id = id;
        m.clientId = clientId;
        m.connectionId = connectionId;
        m.data = data;
        m.encoding = encoding;
        m.extras = extras;
        m.timestamp = timestamp;
    }
}
