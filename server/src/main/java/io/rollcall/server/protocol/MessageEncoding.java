package io.rollcall.server.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Ably's message {@code encoding} chain (RSL4/RSL6): steps separated by '/', each one the server knows, and data
 * that a final {@code json} step says is JSON must parse. A message that fails is refused with 40013 ("invalid
 * message data or encoding") rather than relayed to subscribers that would fail to decode it.
 */
public final class MessageEncoding {
    private static final Pattern CIPHER = Pattern.compile("cipher\\+[a-z0-9-]{1,64}");
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private MessageEncoding() {}

    public static void validate(BaseMessage m) {
        String encoding = m.encoding;
        if (encoding == null || encoding.isEmpty()) {
            return;
        }
        String last = null;
        for (String step : encoding.split("/", -1)) {
            if (!known(step)) {
                throw invalid("unknown encoding '" + printable(step) + "'");
            }
            last = step;
        }
        if ("json".equals(last) && m.data != null && !isJson(m.data)) {
            throw invalid("data is not valid JSON although its encoding is 'json'");
        }
    }

    private static boolean known(String step) {
        return switch (step) {
            case "json", "base64", "utf-8", "vcdiff" -> true;
            default -> CIPHER.matcher(step).matches();
        };
    }

    private static boolean isJson(Object data) {
        try (JsonParser p = data instanceof byte[] b ? JSON.createParser(b) : JSON.createParser(data.toString())) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static AblyException invalid(String why) {
        return new AblyException(40013, 400, "Invalid message data or encoding: " + why);
    }
}
