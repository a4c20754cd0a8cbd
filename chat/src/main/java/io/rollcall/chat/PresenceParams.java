package io.rollcall.chat;

/**
 * Filters for {@link Presence#get(PresenceParams)}: by {@code clientId}, by {@code connectionId}, and whether
 * to wait for the presence set to be in sync first ({@code waitForSync}, default true). Immutable.
 */
public final class PresenceParams {
    private static final PresenceParams ALL = builder().build();

    private final String clientId;
    private final String connectionId;
    private final boolean waitForSync;

    private PresenceParams(Builder b) {
        this.clientId = b.clientId;
        this.connectionId = b.connectionId;
        this.waitForSync = b.waitForSync;
    }

    /**
     * Every member, after sync.
     *
     * @return parameters with no filters, waiting for sync
     */
    public static PresenceParams all() {
        return ALL;
    }

    /**
     * A builder with no filters, waiting for sync.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The clientId filter.
     *
     * @return only members with this clientId, or null for any
     */
    public String clientId() {
        return clientId;
    }

    /**
     * The connectionId filter.
     *
     * @return only members on this connection, or null for any
     */
    public String connectionId() {
        return connectionId;
    }

    /**
     * Whether to wait for sync.
     *
     * @return whether to wait until the presence set is in sync
     */
    public boolean waitForSync() {
        return waitForSync;
    }

    /** Builds {@link PresenceParams}. */
    public static final class Builder {
        private String clientId;
        private String connectionId;
        private boolean waitForSync = true;

        private Builder() {}

        /**
         * Only members with this clientId.
         *
         * @param clientId the clientId, or null for any
         * @return this builder
         * @throws IllegalArgumentException if {@code clientId} is empty
         */
        public Builder clientId(String clientId) {
            this.clientId = notEmpty(clientId, "clientId");
            return this;
        }

        /**
         * Only members on this connection.
         *
         * @param connectionId the connectionId, or null for any
         * @return this builder
         * @throws IllegalArgumentException if {@code connectionId} is empty
         */
        public Builder connectionId(String connectionId) {
            this.connectionId = notEmpty(connectionId, "connectionId");
            return this;
        }

        /**
         * Whether to wait until the presence set is in sync before answering (default true).
         *
         * @param wait false to answer at once from what is known
         * @return this builder
         */
        public Builder waitForSync(boolean wait) {
            this.waitForSync = wait;
            return this;
        }

        private static String notEmpty(String value, String name) {
            if (value != null && value.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty (use null for any)");
            }
            return value;
        }

        /**
         * The parameters.
         *
         * @return new immutable parameters
         */
        public PresenceParams build() {
            return new PresenceParams(this);
        }
    }
}
