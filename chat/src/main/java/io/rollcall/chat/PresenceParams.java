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

    /** Every member, after sync. */
    public static PresenceParams all() {
        return ALL;
    }

    /** A builder with no filters, waiting for sync. */
    public static Builder builder() {
        return new Builder();
    }

    /** Only members with this clientId, or null for any. */
    public String clientId() {
        return clientId;
    }

    /** Only members on this connection, or null for any. */
    public String connectionId() {
        return connectionId;
    }

    /** Whether to wait until the presence set is in sync. */
    public boolean waitForSync() {
        return waitForSync;
    }

    /** Builds {@link PresenceParams}. */
    public static final class Builder {
        private String clientId;
        private String connectionId;
        private boolean waitForSync = true;

        private Builder() {}

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder connectionId(String connectionId) {
            this.connectionId = connectionId;
            return this;
        }

        public Builder waitForSync(boolean wait) {
            this.waitForSync = wait;
            return this;
        }

        public PresenceParams build() {
            return new PresenceParams(this);
        }
    }
}
