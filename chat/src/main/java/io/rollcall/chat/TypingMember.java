package io.rollcall.chat;

/**
 * A client that is typing.
 *
 * @param clientId who
 * @param userClaim their JWT room claim, or null
 */
public record TypingMember(String clientId, String userClaim) {
}
