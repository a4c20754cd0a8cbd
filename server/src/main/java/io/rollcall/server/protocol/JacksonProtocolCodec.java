package io.rollcall.server.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * One streaming codec for both wire formats: Jackson's parser and generator abstract JSON and msgpack, so a
 * single field switch reads and writes both. No reflection on the hot path.
 */
final class JacksonProtocolCodec implements ProtocolCodec {
    private static final int MAX_DEPTH = 64;

    private final WireFormat format;
    private final JsonFactory factory;
    private final ObjectMapper mapper;

    JacksonProtocolCodec(WireFormat format) {
        this.format = format;
        JsonFactory f = format == WireFormat.JSON ? new JsonFactory() : new MessagePackFactory();
        f.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        // Field names are the client's: a shared symbol table fed with random names is rebuilt over and over (a
        // 1 KB frame cost 1 MB of allocation, found by fuzzing); without it a name costs its own length.
        f.disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES);
        this.mapper = new ObjectMapper(f).setSerializationInclusion(JsonInclude.Include.NON_NULL);
        this.factory = mapper.getFactory();
    }

    @Override
    public WireFormat format() {
        return format;
    }

    // ---------------------------------------------------------------- decode

    @Override
    public ProtocolMessage decode(byte[] frame) {
        try (JsonParser p = parser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("a ProtocolMessage must be a map");
            }
            ProtocolMessage pm = readProtocolMessage(p);
            expectEnd(p);
            return pm;
        } catch (IOException | RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public List<Message> decodeMessages(byte[] body) {
        return decodeOneOrMany(body, this::readMessage, "message");
    }

    @Override
    public List<Annotation> decodeAnnotations(byte[] body) {
        return decodeOneOrMany(body, this::readAnnotation, "annotation");
    }

    /** Reads one value of a kind, the parser on its START_OBJECT. */
    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** A REST body: one object of the kind, or an array of them. */
    private <T> List<T> decodeOneOrMany(byte[] body, Reader<T> reader, String what) {
        try (JsonParser p = parser(body)) {
            JsonToken t = p.nextToken();
            List<T> out;
            if (t == JsonToken.START_OBJECT) {
                out = new ArrayList<>(1);
                out.add(reader.read(p));
            } else if (t == JsonToken.START_ARRAY) {
                out = readArray(p, reader, what);
            } else {
                throw malformed("expected a " + what + " or an array of them");
            }
            expectEnd(p);
            return out;
        } catch (IOException | RuntimeException e) {
            throw wrap(e);
        }
    }

    /** The objects of the array the parser is on. */
    private static <T> List<T> readArray(JsonParser p, Reader<T> reader, String what) throws IOException {
        List<T> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, JsonToken.START_OBJECT, what);
            list.add(reader.read(p));
        }
        return list;
    }

    @Override
    public JsonNode decodeTree(byte[] body) {
        try {
            try (JsonParser p = parser(body)) {
                JsonNode n = p.nextToken() == null ? null : mapper.readTree(p);
                if (n == null || n.isMissingNode()) {
                    throw malformed("empty body");
                }
                expectEnd(p);
                return n;
            }
        } catch (IOException | RuntimeException e) {
            throw wrap(e);
        }
    }

    /**
     * A parser over input whose memory use is bounded by its size: msgpack headers are checked against the bytes
     * present first (the msgpack parser allocates what a header declares), JSON nesting by the stream constraints.
     */
    private JsonParser parser(byte[] input) throws IOException {
        if (format == WireFormat.MSGPACK) {
            MsgpackBounds.check(input, MAX_DEPTH);
        }
        return factory.createParser(input);
    }

    /**
     * Nothing may follow the value: trailing garbage means the input is not what the client meant. (msgpack input
     * was checked whole before parsing, and its parser throws at the end rather than saying so.)
     */
    private void expectEnd(JsonParser p) throws IOException {
        if (format == WireFormat.JSON && p.nextToken() != null) {
            throw malformed("unexpected content after the value");
        }
    }

    private ProtocolMessage readProtocolMessage(JsonParser p) throws IOException {
        ProtocolMessage pm = new ProtocolMessage();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (isAbsent(p, t)) {
                continue;
            }
            switch (field) {
                case "action" -> pm.action = (int) readLong(p, field);
                case "id" -> pm.id = readString(p, field);
                case "channel" -> pm.channel = readString(p, field);
                case "channelSerial" -> pm.channelSerial = readString(p, field);
                case "connectionId" -> pm.connectionId = readString(p, field);
                case "count" -> {
                    int c = (int) readLong(p, field);
                    pm.count = c == 0 ? null : c;
                }
                case "error" -> pm.error = readError(p);
                case "flags" -> pm.flags = (int) readLong(p, field);
                case "msgSerial" -> pm.msgSerial = readLong(p, field);
                case "timestamp" -> pm.timestamp = readLong(p, field);
                case "messages" -> {
                    expect(p, JsonToken.START_ARRAY, field);
                    pm.messages = readArray(p, this::readMessage, "message");
                }
                case "presence" -> {
                    expect(p, JsonToken.START_ARRAY, field);
                    pm.presence = readArray(p, this::readPresence, "presence message");
                }
                case "annotations" -> {
                    expect(p, JsonToken.START_ARRAY, field);
                    pm.annotations = readArray(p, this::readAnnotation, "annotation");
                }
                case "params" -> pm.params = readParams(p);
                case "auth" -> pm.authAccessToken = readAuth(p);
                default -> p.skipChildren();
            }
        }
        return pm;
    }

    /** Reads a field of one message kind that the shared fields do not cover; false if it is not one. */
    private interface OwnField<T extends BaseMessage> {
        boolean read(JsonParser p, String field, T m) throws IOException;
    }

    private Message readMessage(JsonParser p) throws IOException {
        return readBaseMessage(p, new Message(), (q, field, m) -> {
            switch (field) {
                case "name" -> m.name = readString(q, field);
                case "action" -> m.action = (int) readLong(q, field);
                case "serial" -> m.serial = readString(q, field);
                case "version" -> m.version = readObject(q, field);
                case "annotations" -> m.annotations = readObject(q, field);
                default -> {
                    return false;
                }
            }
            return true;
        });
    }

    private Annotation readAnnotation(JsonParser p) throws IOException {
        return readBaseMessage(p, new Annotation(), (q, field, a) -> {
            switch (field) {
                case "action" -> a.action = (int) readLong(q, field);
                case "serial" -> a.serial = readString(q, field);
                case "messageSerial" -> a.messageSerial = readString(q, field);
                case "type" -> a.type = readString(q, field);
                case "name" -> a.name = readString(q, field);
                case "count" -> a.count = (int) readLong(q, field);
                default -> {
                    return false;
                }
            }
            return true;
        });
    }

    private JsonNode readObject(JsonParser p, String field) throws IOException {
        expect(p, JsonToken.START_OBJECT, field);
        return readTree(p);
    }

    private PresenceMessage readPresence(JsonParser p) throws IOException {
        return readBaseMessage(p, new PresenceMessage(), (q, field, m) -> {
            if (!field.equals("action")) {
                return false;
            }
            m.action = (int) readLong(q, field);
            return true;
        });
    }

    private <T extends BaseMessage> T readBaseMessage(JsonParser p, T m, OwnField<T> own) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("data") && t == JsonToken.VALUE_EMBEDDED_OBJECT && isExtension(p) && !isUndefined(p)) {
                // Ably data is a string, binary or JSON; an extension type is none of them and cannot be relayed.
                throw new AblyException(40013, 400, "Invalid message data: msgpack extension types are not supported");
            }
            if (isAbsent(p, t)) {
                continue;
            }
            if (!own.read(p, field, m) && !readBaseField(p, t, field, m)) {
                p.skipChildren();
            }
        }
        normaliseData(m);
        return m;
    }

    /** Reads one of the fields every message kind shares; false if the field is not one of them. */
    private boolean readBaseField(JsonParser p, JsonToken t, String field, BaseMessage m) throws IOException {
        switch (field) {
            case "id" -> m.id = readString(p, field);
            case "clientId" -> m.clientId = readString(p, field);
            case "connectionId" -> m.connectionId = readString(p, field);
            case "encoding" -> m.encoding = readString(p, field);
            case "data" -> m.data = readData(p, t);
            case "extras" -> m.extras = readTree(p);
            case "timestamp" -> m.timestamp = readLong(p, field);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Marker for structured data read before its encoding field was seen. */
    private record StructuredData(String json) {}

    private Object readData(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_EMBEDDED_OBJECT -> {
                Object o = p.getEmbeddedObject();
                yield o instanceof byte[] b ? b : null;
            }
            case START_OBJECT, START_ARRAY, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    new StructuredData(JSON_WRITER.writeValueAsString(readTree(p)));
            default -> throw malformed("unexpected data type " + t);
        };
    }

    private static final ObjectMapper JSON_WRITER = new ObjectMapper();

    /**
     * Canonical form: String or byte[]. JSON base64 becomes bytes (dropping "base64" from the encoding chain);
     * structured data becomes a JSON string with "json" appended.
     */
    private static void normaliseData(BaseMessage m) {
        if (m.data instanceof StructuredData s) {
            m.data = s.json();
            m.encoding = appendEncoding(m.encoding, "json");
        } else if (m.data instanceof String s && m.encoding != null && lastEncoding(m.encoding).equals("base64")) {
            try {
                m.data = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw malformed("data is not valid base64");
            }
            m.encoding = dropLastEncoding(m.encoding);
        }
    }

    private static String lastEncoding(String encoding) {
        int slash = encoding.lastIndexOf('/');
        return slash < 0 ? encoding : encoding.substring(slash + 1);
    }

    private static String dropLastEncoding(String encoding) {
        int slash = encoding.lastIndexOf('/');
        return slash < 0 ? null : encoding.substring(0, slash);
    }

    private static String appendEncoding(String encoding, String step) {
        return encoding == null || encoding.isEmpty() ? step : encoding + '/' + step;
    }

    private ErrorInfo readError(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "error");
        int code = 0;
        int status = 0;
        String message = null;
        String href = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (isAbsent(p, t)) {
                continue;
            }
            switch (field) {
                case "code" -> code = (int) readLong(p, field);
                case "statusCode" -> status = (int) readLong(p, field);
                case "message" -> message = readString(p, field);
                case "href" -> href = readString(p, field);
                default -> p.skipChildren();
            }
        }
        return new ErrorInfo(code, status, message, href);
    }

    private Map<String, String> readParams(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "params");
        Map<String, String> params = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (isAbsent(p, t)) {
                continue;
            }
            if (t.isScalarValue()) {
                params.put(key, p.getValueAsString());
            } else {
                params.put(key, JSON_WRITER.writeValueAsString(readTree(p)));
            }
        }
        return params;
    }

    private String readAuth(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "auth");
        String token = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!isAbsent(p, t) && field.equals("accessToken")) {
                token = readString(p, field);
            } else {
                p.skipChildren();
            }
        }
        return token;
    }

    private JsonNode readTree(JsonParser p) throws IOException {
        return mapper.readTree(p);
    }

    /** null and msgpack extension values (e.g. JavaScript undefined) count as absent. */
    private static boolean isAbsent(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t == JsonToken.VALUE_EMBEDDED_OBJECT && !(p.getEmbeddedObject() instanceof byte[])) {
            return true;
        }
        return false;
    }

    private static boolean isExtension(JsonParser p) throws IOException {
        return !(p.getEmbeddedObject() instanceof byte[]);
    }

    /** The form msgpack encoders in JavaScript give {@code undefined}: fixext 1, type 0, byte 0. */
    private static boolean isUndefined(JsonParser p) throws IOException {
        return p.getEmbeddedObject() instanceof org.msgpack.jackson.dataformat.MessagePackExtensionType x
                && x.getType() == 0 && x.getData().length == 1 && x.getData()[0] == 0;
    }

    private static String readString(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        throw malformed("field '" + field + "' must be a string");
    }

    private static long readLong(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d == Math.rint(d)) {
                return (long) d;
            }
        }
        throw malformed("field '" + field + "' must be an integer");
    }

    private static void expect(JsonParser p, JsonToken expected, String what) {
        if (p.currentToken() != expected) {
            throw malformed("'" + what + "' has the wrong type");
        }
    }

    private static AblyException malformed(String why) {
        return new AblyException(40000, 400, "Malformed message: " + why);
    }

    private static AblyException wrap(Exception e) {
        if (e instanceof AblyException a) {
            return a;
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        return malformed(nl > 0 ? msg.substring(0, nl) : msg);
    }

    // ---------------------------------------------------------------- encode

    /** Writes one value with a generator of this format into a fresh byte array. */
    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] generate(Writing writing) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writing.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("encoding failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] encode(ProtocolMessage pm) {
        return generate(g -> writeProtocolMessage(g, pm));
    }

    @Override
    public byte[] encodeMessages(List<Message> messages) {
        return generate(g -> {
            g.writeStartArray();
            for (Message m : messages) {
                writeMessage(g, m);
            }
            g.writeEndArray();
        });
    }

    @Override
    public byte[] encodePresence(List<PresenceMessage> messages) {
        return generate(g -> {
            g.writeStartArray();
            for (PresenceMessage m : messages) {
                writePresence(g, m);
            }
            g.writeEndArray();
        });
    }

    @Override
    public byte[] encodeAnnotations(List<Annotation> annotations) {
        return generate(g -> {
            g.writeStartArray();
            for (Annotation a : annotations) {
                writeAnnotation(g, a);
            }
            g.writeEndArray();
        });
    }

    @Override
    public byte[] encodeValue(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("encoding failed", e);
        }
    }

    private void writeProtocolMessage(JsonGenerator g, ProtocolMessage pm) throws IOException {
        g.writeStartObject();
        g.writeNumberField("action", pm.action);
        if (pm.id != null) g.writeStringField("id", pm.id);
        if (pm.channel != null) g.writeStringField("channel", pm.channel);
        if (pm.channelSerial != null) g.writeStringField("channelSerial", pm.channelSerial);
        if (pm.connectionId != null) g.writeStringField("connectionId", pm.connectionId);
        if (pm.connectionDetails != null) writeConnectionDetails(g, pm.connectionDetails);
        if (pm.count != null) g.writeNumberField("count", pm.count);
        if (pm.error != null) writeError(g, pm.error);
        if (pm.flags != 0) g.writeNumberField("flags", pm.flags);
        if (pm.msgSerial != null) g.writeNumberField("msgSerial", pm.msgSerial);
        if (pm.timestamp != 0) g.writeNumberField("timestamp", pm.timestamp);
        if (pm.messages != null) {
            g.writeArrayFieldStart("messages");
            for (Message m : pm.messages) {
                writeMessage(g, m);
            }
            g.writeEndArray();
        }
        if (pm.presence != null) {
            // Always written when set, even empty: a SYNC without it never completes in ably-js.
            g.writeArrayFieldStart("presence");
            for (PresenceMessage m : pm.presence) {
                writePresence(g, m);
            }
            g.writeEndArray();
        }
        if (pm.annotations != null) {
            g.writeArrayFieldStart("annotations");
            for (Annotation a : pm.annotations) {
                writeAnnotation(g, a);
            }
            g.writeEndArray();
        }
        if (pm.params != null) {
            g.writeObjectFieldStart("params");
            for (Map.Entry<String, String> e : pm.params.entrySet()) {
                if (e.getValue() != null) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
            }
            g.writeEndObject();
        }
        if (pm.authAccessToken != null) {
            g.writeObjectFieldStart("auth");
            g.writeStringField("accessToken", pm.authAccessToken);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeConnectionDetails(JsonGenerator g, ConnectionDetails d) throws IOException {
        g.writeObjectFieldStart("connectionDetails");
        if (d.clientId() != null) g.writeStringField("clientId", d.clientId());
        if (d.connectionKey() != null) g.writeStringField("connectionKey", d.connectionKey());
        g.writeNumberField("maxMessageSize", d.maxMessageSize());
        g.writeNumberField("maxFrameSize", d.maxFrameSize());
        g.writeNumberField("maxInboundRate", d.maxInboundRate());
        g.writeNumberField("connectionStateTtl", d.connectionStateTtl());
        g.writeNumberField("maxIdleInterval", d.maxIdleInterval());
        if (d.serverId() != null) g.writeStringField("serverId", d.serverId());
        g.writeEndObject();
    }

    private static void writeError(JsonGenerator g, ErrorInfo e) throws IOException {
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", e.code());
        g.writeNumberField("statusCode", e.statusCode());
        if (e.message() != null) g.writeStringField("message", e.message());
        if (e.href() != null) g.writeStringField("href", e.href());
        g.writeEndObject();
    }

    private void writeMessage(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        if (m.id != null) g.writeStringField("id", m.id);
        if (m.name != null) g.writeStringField("name", m.name);
        if (m.action != null) g.writeNumberField("action", m.action);
        if (m.serial != null) g.writeStringField("serial", m.serial);
        writeTree(g, "version", m.version);
        writeTree(g, "annotations", m.annotations);
        writeBaseFields(g, m);
        g.writeEndObject();
    }

    private void writeAnnotation(JsonGenerator g, Annotation a) throws IOException {
        g.writeStartObject();
        if (a.id != null) g.writeStringField("id", a.id);
        g.writeNumberField("action", a.action);
        if (a.serial != null) g.writeStringField("serial", a.serial);
        if (a.messageSerial != null) g.writeStringField("messageSerial", a.messageSerial);
        if (a.type != null) g.writeStringField("type", a.type);
        if (a.name != null) g.writeStringField("name", a.name);
        if (a.count != null) g.writeNumberField("count", a.count);
        writeBaseFields(g, a);
        g.writeEndObject();
    }

    private void writeTree(JsonGenerator g, String field, JsonNode value) throws IOException {
        if (value != null) {
            g.writeFieldName(field);
            mapper.writeTree(g, value);
        }
    }

    private void writePresence(JsonGenerator g, PresenceMessage m) throws IOException {
        g.writeStartObject();
        if (m.id != null) g.writeStringField("id", m.id);
        g.writeNumberField("action", m.action);
        writeBaseFields(g, m);
        g.writeEndObject();
    }

    /** The shared fields after id and the kind's own field: clientId, connectionId, data, extras, timestamp. */
    private void writeBaseFields(JsonGenerator g, BaseMessage m) throws IOException {
        if (m.clientId != null) g.writeStringField("clientId", m.clientId);
        if (m.connectionId != null) g.writeStringField("connectionId", m.connectionId);
        writeData(g, m.data, m.encoding);
        if (m.extras != null) {
            g.writeFieldName("extras");
            mapper.writeTree(g, m.extras);
        }
        if (m.timestamp != 0) g.writeNumberField("timestamp", m.timestamp);
    }

    /** Bytes travel as msgpack bin, or as base64 with "base64" appended to the encoding in JSON. */
    private void writeData(JsonGenerator g, Object data, String encoding) throws IOException {
        if (data instanceof byte[] b) {
            if (format == WireFormat.JSON) {
                g.writeStringField("data", Base64.getEncoder().encodeToString(b));
                g.writeStringField("encoding", appendEncoding(encoding, "base64"));
            } else {
                g.writeFieldName("data");
                g.writeBinary(b);
                if (encoding != null) g.writeStringField("encoding", encoding);
            }
            return;
        }
        if (data instanceof String s) {
            g.writeStringField("data", s);
        }
        if (encoding != null && data != null) {
            g.writeStringField("encoding", encoding);
        }
    }
}
