package io.rollcall.chat;

import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks and copies the JSON objects callers hand to params builders, so that params stay immutable. */
final class JsonValues {
    private JsonValues() {}

    /** A checked, immutable copy of a JSON object (read back through its JSON form); null stays null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copyObject(Map<String, ?> map, String what) {
        JsonObject tree = JsonData.toObject(map, what);
        return tree == null ? null : (Map<String, Object>) JsonData.fromTree(tree);
    }

    /** Headers: a flat map whose values are strings, numbers, booleans or null (as Ably Chat allows). */
    static Map<String, Object> copyHeaders(Map<String, ?> map, String what) {
        if (map == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>(copyObject(map, what));
        for (Map.Entry<String, Object> e : copy.entrySet()) {
            Object v = e.getValue();
            if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                throw new IllegalArgumentException(what + "." + e.getKey() + " must be a String, Number, Boolean or null, not "
                        + v.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(copy);
    }
}
