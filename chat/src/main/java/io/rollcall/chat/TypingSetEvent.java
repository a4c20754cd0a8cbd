package io.rollcall.chat;

import java.util.List;
import java.util.Set;

/**
 * The set of clients typing in a room changed.
 *
 * @param currentlyTyping the clientIds typing now (unmodifiable)
 * @param currentTypers the clients typing now, with their claims (unmodifiable)
 * @param change what changed
 */
public record TypingSetEvent(Set<String> currentlyTyping, List<TypingMember> currentTypers, Change change) {
    /**
     * One client's change.
     *
     * @param clientId who
     * @param type whether they started or stopped
     * @param userClaim their JWT room claim, or null
     */
    public record Change(String clientId, TypingEventType type, String userClaim) {
    }
}
