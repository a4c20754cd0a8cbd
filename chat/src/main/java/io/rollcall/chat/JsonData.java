package io.rollcall.chat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values (presence data, message metadata and headers) between Java values and what ably-java sends and
 * receives. ably-java hands out Gson trees;
 * they stop here, so no type of the transport library reaches the public API. The mapping is documented on
 * {@link Presence} and {@link PresenceMember#data()}.
 */
final class JsonData {
    private JsonData() {}

    /**
     * What ably-java sends for a Java value: {@code data} with its {@code encoding}.
     *
     * @param data a String (plain, or JSON text when the encoding is "json"), a byte[], or null
     * @param encoding "json" for JSON text, else null
     */
    record Wire(Object data, String encoding) { }

    /** Writes JSON nulls inside objects too (Gson's default, which ably-java uses, drops them). */
    private static final Gson WRITER = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /**
     * For sending. A string goes as a plain string (other SDKs read a string); bytes as binary; anything else
     * as JSON text with encoding "json", as ably-java and ably-js send JSON. Numbers keep their exact text and
     * nulls inside objects are kept.
     *
     * @throws IllegalArgumentException if the value (or anything inside it) is not a JSON value
     */
    static Wire toWire(Object data) {
        return toWire(data, "presence data");
    }

    /** {@link #toWire(Object)}, naming the value {@code what} in errors (e.g. "reaction metadata"). */
    static Wire toWire(Object data, String what) {
        if (data == null || data instanceof String) {
            return new Wire(data, null);
        }
        if (data instanceof byte[] bytes) {
            return new Wire(bytes.clone(), null);
        }
        return new Wire(WRITER.toJson(toTree(data, what)), "json");
    }

    /**
     * A map of JSON values as a JSON object (message metadata and headers, reaction metadata); null stays null.
     *
     * @throws IllegalArgumentException if anything inside is not a JSON value
     */
    static JsonObject toObject(Map<String, ?> map, String what) {
        return map == null ? null : toTree(map, what).getAsJsonObject();
    }

    /** JSON text of a tree, keeping nulls inside objects. */
    static String text(JsonElement tree) {
        return WRITER.toJson(tree);
    }

    /** A JSON object member as an immutable map; empty when absent or not an object. */
    static Map<String, Object> objectOrEmpty(JsonObject parent, String member) {
        JsonElement e = parent == null ? null : parent.get(member);
        return e != null && e.isJsonObject() ? castMap(fromTree(e)) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static JsonElement toTree(Object v, String path) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            return new JsonPrimitive((Number) v);
        }
        if (v instanceof Float || v instanceof Double) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot represent");
            }
            return new JsonPrimitive((Number) v);
        }
        if (v instanceof BigDecimal d) {
            return new JsonPrimitive(d);
        }
        if (v instanceof Map<?, ?> map) {
            JsonObject o = new JsonObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " has a key that is not a String: " + e.getKey());
                }
                o.add(key, toTree(e.getValue(), path + "." + key));
            }
            return o;
        }
        if (v instanceof Collection<?> list) {
            JsonArray a = new JsonArray();
            int i = 0;
            for (Object item : list) {
                a.add(toTree(item, path + "[" + i++ + "]"));
            }
            return a;
        }
        throw new IllegalArgumentException(path + " must be a JSON value (Map, List, String, Number, Boolean or null), not "
                + v.getClass().getName());
    }

    /**
     * For receiving: a Gson tree becomes immutable maps and lists, strings, exact numbers, booleans and null;
     * a plain string stays a string (even if it looks like JSON: it was sent as a string); bytes are copied.
     */
    static Object fromWire(Object data) {
        if (data instanceof JsonElement e) {
            return fromTree(e);
        }
        if (data instanceof byte[] bytes) {
            return bytes.clone();
        }
        return data;
    }

    static Object fromTree(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                m.put(entry.getKey(), fromTree(entry.getValue()));
            }
            return Collections.unmodifiableMap(m);
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonElement item : e.getAsJsonArray()) {
                l.add(fromTree(item));
            }
            return Collections.unmodifiableList(l);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            return number(p.getAsString());
        }
        return p.getAsString();
    }

    /** The JSON number's text as Integer, Long or BigInteger when integral, else Double. */
    static Number number(String text) {
        if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
            BigInteger i = new BigInteger(text);
            if (i.bitLength() < 32) {
                return i.intValue();
            }
            if (i.bitLength() < 64) {
                return i.longValue();
            }
            return i;
        }
        return Double.parseDouble(text);
    }

    /** A JSON object (as a Gson tree) as an immutable map, or null if it is not one (REST and occupancy bodies). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(Object data) {
        Object v = data instanceof String s ? parse(s) : fromWire(data);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static Object parse(String s) {
        try {
            return fromTree(com.google.gson.JsonParser.parseString(s));
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
