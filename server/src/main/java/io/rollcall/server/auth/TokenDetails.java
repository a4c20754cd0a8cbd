package io.rollcall.server.auth;

/**
 * The answer to a token request, field for field as the SDKs read it: {@code capability} is the canonical
 * capability JSON as a string (ably-java's gson maps it to a String), {@code clientId} is null when the token is
 * anonymous, times are epoch ms.
 */
public record TokenDetails(String token, String keyName, long issued, long expires, String capability, String clientId) {
}
