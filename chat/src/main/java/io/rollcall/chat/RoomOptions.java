package io.rollcall.chat;

/**
 * How a room is set up: whether presence events are delivered (default true) and whether occupancy events
 * are (default false). Immutable; build with {@link #builder()}. Two rooms of one name must share options.
 *
 * <pre>{@code
 * RoomOptions opts = RoomOptions.builder().occupancyEvents(true).build();
 * }</pre>
 */
public final class RoomOptions {
    private static final RoomOptions DEFAULTS = builder().build();

    private final boolean presenceEvents;
    private final boolean occupancyEvents;

    private RoomOptions(Builder b) {
        this.presenceEvents = b.presenceEvents;
        this.occupancyEvents = b.occupancyEvents;
    }

    /**
     * The defaults.
     *
     * @return presence events on, occupancy events off
     */
    public static RoomOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().presenceEvents(presenceEvents).occupancyEvents(occupancyEvents);
    }

    /**
     * Presence {@code enableEvents}: subscribe to enter, leave, update and present events.
     *
     * @return whether presence events are enabled
     */
    public boolean presenceEvents() {
        return presenceEvents;
    }

    /**
     * Occupancy {@code enableEvents}: receive live occupancy and keep {@link Occupancy#current()}.
     *
     * @return whether occupancy events are enabled
     */
    public boolean occupancyEvents() {
        return occupancyEvents;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomOptions r && r.presenceEvents == presenceEvents && r.occupancyEvents == occupancyEvents;
    }

    @Override
    public int hashCode() {
        return (presenceEvents ? 1 : 0) + (occupancyEvents ? 2 : 0);
    }

    @Override
    public String toString() {
        return "RoomOptions{presenceEvents=" + presenceEvents + ", occupancyEvents=" + occupancyEvents + "}";
    }

    /** Builds {@link RoomOptions}. */
    public static final class Builder {
        private boolean presenceEvents = true;
        private boolean occupancyEvents = false;

        private Builder() {}

        /**
         * Whether to receive presence events (default true).
         *
         * @param enable false to attach without presence_subscribe
         * @return this builder
         */
        public Builder presenceEvents(boolean enable) {
            this.presenceEvents = enable;
            return this;
        }

        /**
         * Whether to receive occupancy events (default false).
         *
         * @param enable true to attach with occupancy metrics
         * @return this builder
         */
        public Builder occupancyEvents(boolean enable) {
            this.occupancyEvents = enable;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options
         */
        public RoomOptions build() {
            return new RoomOptions(this);
        }
    }
}
