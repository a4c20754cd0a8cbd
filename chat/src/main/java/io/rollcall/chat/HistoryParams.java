package io.rollcall.chat;

import java.time.Instant;
import java.util.Objects;

/**
 * A history query: a time window ({@code start}, {@code end}, inclusive), a page size ({@code limit}, default
 * 100, at most 1000) and an order (default {@link OrderBy#NEWEST_FIRST}). Immutable.
 *
 * <pre>{@code
 * HistoryParams p = HistoryParams.builder().limit(50).orderBy(OrderBy.OLDEST_FIRST).build();
 * }</pre>
 */
public final class HistoryParams {
    private static final HistoryParams DEFAULTS = builder().build();

    private final Instant start;
    private final Instant end;
    private final int limit;
    private final OrderBy orderBy;

    private HistoryParams(Builder b) {
        this.start = b.start;
        this.end = b.end;
        this.limit = b.limit;
        this.orderBy = b.orderBy;
    }

    /**
     * The defaults: no time window, 100 a page, newest first.
     *
     * @return default parameters
     */
    public static HistoryParams defaults() {
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
     * The start of the window.
     *
     * @return the earliest time, or null for none
     */
    public Instant start() {
        return start;
    }

    /**
     * The end of the window.
     *
     * @return the latest time, or null for none
     */
    public Instant end() {
        return end;
    }

    /**
     * The page size.
     *
     * @return messages a page
     */
    public int limit() {
        return limit;
    }

    /**
     * The order.
     *
     * @return the order
     */
    public OrderBy orderBy() {
        return orderBy;
    }

    /** Builds {@link HistoryParams}. */
    public static final class Builder {
        private Instant start;
        private Instant end;
        private int limit = 100;
        private OrderBy orderBy = OrderBy.NEWEST_FIRST;

        private Builder() {}

        /**
         * Only messages sent at or after this time.
         *
         * @param start the time, or null for no bound
         * @return this builder
         */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /**
         * Only messages sent at or before this time.
         *
         * @param end the time, or null for no bound
         * @return this builder
         */
        public Builder end(Instant end) {
            this.end = end;
            return this;
        }

        /**
         * Messages a page (default 100).
         *
         * @param limit from 1 to 1000
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is out of range
         */
        public Builder limit(int limit) {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be from 1 to 1000, not " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * The order (default newest first).
         *
         * @param orderBy the order
         * @return this builder
         * @throws NullPointerException if {@code orderBy} is null
         */
        public Builder orderBy(OrderBy orderBy) {
            this.orderBy = Objects.requireNonNull(orderBy, "orderBy must not be null");
            return this;
        }

        /**
         * The parameters.
         *
         * @return new immutable parameters
         * @throws IllegalArgumentException if {@code start} is after {@code end}
         */
        public HistoryParams build() {
            if (start != null && end != null && start.isAfter(end)) {
                throw new IllegalArgumentException("start " + start + " is after end " + end);
            }
            return new HistoryParams(this);
        }
    }
}
