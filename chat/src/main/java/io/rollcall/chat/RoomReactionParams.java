package io.rollcall.chat;

import java.util.Map;

/**
 * A room reaction to send: its name, and optionally metadata (a JSON object) and headers (strings, numbers,
 * booleans, nulls). Immutable.
 *
 * <pre>{@code
 * room.reactions().send(RoomReactionParams.builder("🎉").metadata(Map.of("intensity", 3)).build()).join();
 * }</pre>
 */
public final class RoomReactionParams {
    private final String name;
    private final Map<String, Object> metadata;
    private final Map<String, Object> headers;

    private RoomReactionParams(Builder b) {
        this.name = b.name;
        this.metadata = b.metadata;
        this.headers = b.headers;
    }

    /**
     * A builder for a reaction of this name.
     *
     * @param name the reaction, for example an emoji
     * @return a new builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The name.
     *
     * @return the reaction's name
     */
    public String name() {
        return name;
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

    /** Builds {@link RoomReactionParams}. */
    public static final class Builder {
        private final String name;
        private Map<String, Object> metadata;
        private Map<String, Object> headers;

        private Builder(String name) {
            if (name == null) {
                throw new NullPointerException("name must not be null");
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name must not be empty");
            }
            this.name = name;
        }

        /**
         * The metadata: a JSON object of any JSON values.
         *
         * @param metadata the metadata, or null for none
         * @return this builder
         * @throws IllegalArgumentException if a value is not a JSON value
         */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = JsonValues.copyObject(metadata, "reaction metadata");
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
            this.headers = JsonValues.copyHeaders(headers, "reaction headers");
            return this;
        }

        /**
         * The parameters.
         *
         * @return new immutable parameters
         */
        public RoomReactionParams build() {
            return new RoomReactionParams(this);
        }
    }
}
