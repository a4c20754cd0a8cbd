package io.rollcall.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why a message was updated or deleted: a description and string metadata, kept with the new version
 * ({@link MessageVersion#description()}, {@link MessageVersion#metadata()}). Immutable.
 *
 * <pre>{@code
 * OperationDetails d = OperationDetails.builder().description("typo").metadata(Map.of("by", "moderator")).build();
 * }</pre>
 */
public final class OperationDetails {
    private static final OperationDetails NONE = builder().build();

    private final String description;
    private final Map<String, String> metadata;

    private OperationDetails(Builder b) {
        this.description = b.description;
        this.metadata = b.metadata;
    }

    /**
     * No description nor metadata.
     *
     * @return empty details
     */
    public static OperationDetails none() {
        return NONE;
    }

    /**
     * A builder with no description nor metadata.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The description.
     *
     * @return the description, or null
     */
    public String description() {
        return description;
    }

    /**
     * The metadata.
     *
     * @return an unmodifiable map, or null for none
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Builds {@link OperationDetails}. */
    public static final class Builder {
        private String description;
        private Map<String, String> metadata;

        private Builder() {}

        /**
         * Why the message changed.
         *
         * @param description the description, or null
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * Metadata of the operation.
         *
         * @param metadata string keys and values, or null for none
         * @return this builder
         * @throws NullPointerException if a key or value is null
         */
        public Builder metadata(Map<String, String> metadata) {
            if (metadata == null) {
                this.metadata = null;
                return this;
            }
            Map<String, String> copy = new LinkedHashMap<>();
            metadata.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "metadata key must not be null"),
                    Objects.requireNonNull(v, "metadata value must not be null")));
            this.metadata = Collections.unmodifiableMap(copy);
            return this;
        }

        /**
         * The details.
         *
         * @return new immutable details
         */
        public OperationDetails build() {
            return new OperationDetails(this);
        }
    }
}
