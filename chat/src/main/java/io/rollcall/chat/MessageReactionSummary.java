package io.rollcall.chat;

import java.util.Map;

/**
 * A message's reactions, by reaction name, for each kind ({@link MessageReactionType}). Maps are unmodifiable.
 *
 * @param unique one reaction per client (a new one replaces the client's previous)
 * @param distinct each name at most once per client
 * @param multiple any count per client and name
 */
public record MessageReactionSummary(Map<String, SummaryClientIdList> unique, Map<String, SummaryClientIdList> distinct,
                                     Map<String, SummaryClientIdCounts> multiple) {
    private static final MessageReactionSummary EMPTY = new MessageReactionSummary(Map.of(), Map.of(), Map.of());

    /**
     * No reactions.
     *
     * @return an empty summary
     */
    public static MessageReactionSummary empty() {
        return EMPTY;
    }
}
