package io.rollcall.chat;

import java.time.Instant;

/**
 * One reaction added to or removed from a message, as sent (see {@link MessageReactions#subscribeRaw}); the
 * room must have {@link RoomOptions#rawMessageReactions()} enabled.
 *
 * @param type whether the reaction was added or removed
 * @param timestamp when the server received it
 * @param reaction the reaction
 */
public record MessageReactionRawEvent(Type type, Instant timestamp, Reaction reaction) {

    /** Whether a reaction was added or removed. */
    public enum Type {
        /** A reaction was added. */
        CREATE("reaction.create"),
        /** A reaction was removed. */
        DELETE("reaction.delete");

        private final String wireValue;

        Type(String wireValue) {
            this.wireValue = wireValue;
        }

        /**
         * The name other SDKs use for it.
         *
         * @return {@code "reaction.create"} or {@code "reaction.delete"}
         */
        public String wireValue() {
            return wireValue;
        }
    }

    /**
     * A reaction to a message.
     *
     * @param messageSerial the message's serial
     * @param type its kind
     * @param name its name (empty when a unique reaction is removed without one)
     * @param count its count for a multiple reaction (1 when added without one), else null
     * @param clientId who reacted
     * @param userClaim the reacting client's JWT room claim, or null
     */
    public record Reaction(String messageSerial, MessageReactionType type, String name, Integer count, String clientId,
                           String userClaim) {
    }
}
