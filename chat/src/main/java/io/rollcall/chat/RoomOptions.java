package io.rollcall.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * How a room is set up: whether presence events are delivered (default true), whether occupancy events are
 * (default false), the typing heartbeat interval (default 10 s), the default kind of message reaction
 * (default {@link MessageReactionType#DISTINCT}) and whether raw message reactions are (default false). Immutable; build with {@link #builder()}. Two rooms of one
 * name must share options.
 *
 * <pre>{@code
 * RoomOptions opts = RoomOptions.builder().occupancyEvents(true).build();
 * }</pre>
 */
public final class RoomOptions {
    private static final RoomOptions DEFAULTS = builder().build();

    private final boolean presenceEvents;
    private final boolean occupancyEvents;
    private final Duration typingHeartbeatThrottle;
    private final MessageReactionType defaultMessageReactionType;
    private final boolean rawMessageReactions;

    private RoomOptions(Builder b) {
        this.rawMessageReactions = b.rawMessageReactions;
        this.presenceEvents = b.presenceEvents;
        this.occupancyEvents = b.occupancyEvents;
        this.typingHeartbeatThrottle = b.typingHeartbeatThrottle;
        this.defaultMessageReactionType = b.defaultMessageReactionType;
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
        return new Builder().presenceEvents(presenceEvents).occupancyEvents(occupancyEvents)
                .typingHeartbeatThrottle(typingHeartbeatThrottle).defaultMessageReactionType(defaultMessageReactionType)
                .rawMessageReactions(rawMessageReactions);
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

    /**
     * Typing {@code heartbeatThrottleMs}: how often {@link Typing#keystroke()} sends while typing goes on;
     * others drop a typer after this plus 2 s without one.
     *
     * @return the interval
     */
    public Duration typingHeartbeatThrottle() {
        return typingHeartbeatThrottle;
    }

    /**
     * Messages {@code defaultMessageReactionType}: the kind of reaction {@link MessageReactions} sends and
     * deletes when none is given.
     *
     * @return the default kind
     */
    public MessageReactionType defaultMessageReactionType() {
        return defaultMessageReactionType;
    }

    /**
     * Messages {@code rawMessageReactions}: whether {@link MessageReactions#subscribeRaw} receives each reaction
     * (the room attaches with the {@code ANNOTATION_SUBSCRIBE} mode).
     *
     * @return whether raw message reactions are enabled (default false)
     */
    public boolean rawMessageReactions() {
        return rawMessageReactions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomOptions r && r.presenceEvents == presenceEvents && r.occupancyEvents == occupancyEvents
                && r.typingHeartbeatThrottle.equals(typingHeartbeatThrottle)
                && r.defaultMessageReactionType == defaultMessageReactionType && r.rawMessageReactions == rawMessageReactions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(presenceEvents, occupancyEvents, typingHeartbeatThrottle, defaultMessageReactionType,
                rawMessageReactions);
    }

    @Override
    public String toString() {
        return "RoomOptions{presenceEvents=" + presenceEvents + ", occupancyEvents=" + occupancyEvents
                + ", typingHeartbeatThrottle=" + typingHeartbeatThrottle
                + ", defaultMessageReactionType=" + defaultMessageReactionType
                + ", rawMessageReactions=" + rawMessageReactions + "}";
    }

    /** Builds {@link RoomOptions}. */
    public static final class Builder {
        private boolean presenceEvents = true;
        private boolean occupancyEvents = false;
        private Duration typingHeartbeatThrottle = Duration.ofSeconds(10);
        private MessageReactionType defaultMessageReactionType = MessageReactionType.DISTINCT;
        private boolean rawMessageReactions = false;

        private Builder() {}

        /**
         * Whether to receive each message reaction as sent, besides summaries (default false).
         *
         * @param enable true to attach with the {@code ANNOTATION_SUBSCRIBE} mode
         * @return this builder
         */
        public Builder rawMessageReactions(boolean enable) {
            this.rawMessageReactions = enable;
            return this;
        }

        /**
         * How often a typing client sends a heartbeat (default 10 s).
         *
         * @param interval a positive duration
         * @return this builder
         * @throws NullPointerException if {@code interval} is null
         * @throws IllegalArgumentException if {@code interval} is not positive
         */
        public Builder typingHeartbeatThrottle(Duration interval) {
            Objects.requireNonNull(interval, "interval must not be null");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("typing heartbeat interval must be positive, not " + interval);
            }
            this.typingHeartbeatThrottle = interval;
            return this;
        }

        /**
         * The kind of message reaction used when none is given (default distinct).
         *
         * @param type the kind
         * @return this builder
         * @throws NullPointerException if {@code type} is null
         */
        public Builder defaultMessageReactionType(MessageReactionType type) {
            this.defaultMessageReactionType = Objects.requireNonNull(type, "type must not be null");
            return this;
        }

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
