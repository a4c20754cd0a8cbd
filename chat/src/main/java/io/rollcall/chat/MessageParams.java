package io.rollcall.chat;

import java.util.Map;
import java.util.Objects;

/**
 * What a message says, for {@link Messages#send} and {@link Messages#update}: its text, and optionally metadata
 * (a JSON object, for your application) and headers (a flat map of strings, numbers, booleans and nulls).
 * Immutable; values are checked and copied by {@link Builder#build()}.
 *
 * <pre>{@code
 * MessageParams p = MessageParams.builder("hello").metadata(Map.of("bold", true)).headers(Map.of("lang", "en")).build();
 * }</pre>
 */
public final class MessageParams {
    private final String text;
    private final Map<String, Object> metadata;
    private final Map<String, Object> headers;

    private MessageParams(Builder b) {
        this.text = b.text;
        this.metadata = b.metadata;
        this.headers = b.headers;
    }

    /**
     * Just text.
     *
     * @param text the text (may be empty)
     * @return the parameters
     * @throws NullPointerException if {@code text} is null
     */
    public static MessageParams of(String text) {
        return builder(text).build();
    }

    /**
     * A builder for a message with this text.
     *
     * @param text the text (may be empty)
     * @return a new builder
     * @throws NullPointerException if {@code text} is null
     */
    public static Builder builder(String text) {
        return new Builder(text);
    }

    /**
     * The text.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    /**
     * The metadata.
     *
     * @return an unmodifiable map, or null for none
     */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /**
     * The headers.
     *
     * @return an unmodifiable map, or null for none
     */
    public Map<String, Object> headers() {
        return headers;
    }

    /** Builds {@link MessageParams}. */
    public static final class Builder {
        private final String text;
        private Map<String, Object> metadata;
        private Map<String, Object> headers;

        private Builder(String text) {
            this.text = Objects.requireNonNull(text, "text must not be null");
        }

        /**
         * The metadata: a JSON object of any JSON values (see {@link Presence}, "Presence data").
         *
         * @param metadata the metadata, or null for none
         * @return this builder
         * @throws IllegalArgumentException if a value is not a JSON value
         */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = JsonValues.copyObject(metadata, "message metadata");
            return this;
        }

        /**
         * The headers: values are strings, numbers, booleans or null.
         *
         * @param headers the headers, or null for none
         * @return this builder
         * @throws IllegalArgumentException if a value is of another type
         */
        public Builder headers(Map<String, ?> headers) {
            this.headers = JsonValues.copyHeaders(headers, "message headers");
            return this;
        }

        /**
         * The parameters.
         *
         * @return new immutable parameters
         */
        public MessageParams build() {
            return new MessageParams(this);
        }
    }
}
