package io.rollcall.server.auth;

/** The answer to a token request, as the SDKs read it: capability is a JSON string, not an object. */
public record TokenDetails(String token, String keyName, long issued, long expires, String capability, String clientId) {
}
