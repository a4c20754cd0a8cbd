package io.rollcall.chat;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.Map;

/**
 * Presence data in Java-natural form. ably-java hands out Gson trees; they stop here, so no type of the
 * transport library reaches the public API.
 */
final class JsonData {
    private static final Gson GSON = new Gson();
    private static final Type MAP = new TypeToken<Map<String, Object>>() { }.getType();

    private JsonData() {}

    /** For sending: a map becomes a JSON object (ably-java sends it as a JSON string, encoding "json"). */
    static JsonElement toJson(Map<String, ?> data) {
        return data == null ? null : GSON.toJsonTree(data);
    }

    /** For receiving: a JSON object (as a Gson tree or a JSON string) becomes an immutable map; else null. */
    static Map<String, Object> toMap(Object data) {
        JsonElement tree = null;
        if (data instanceof JsonElement e) {
            tree = e;
        } else if (data instanceof String s) {
            try {
                tree = JsonParser.parseString(s);
            } catch (RuntimeException notJson) {
                return null;
            }
        }
        if (tree == null || !tree.isJsonObject()) {
            return null;
        }
        Map<String, Object> map = GSON.fromJson(tree, MAP);
        return Collections.unmodifiableMap(map);
    }
}
