package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * The one entry point for credentials, used by the transport layer (socket connect, REST requests, in-band
 * AUTH): API keys, native tokens, JWTs, token requests, and Ably's clientId rules. Thread-safe.
 *
 * <p>Error codes are Ably's (ably-common {@code protocol/errors.json}): 40101 invalid credentials (unknown key,
 * wrong secret, bad MAC, no credentials), 40005 a key that is not {@code appId.keyId:secret}, 40102 incompatible
 * credentials (clientId), 40012 invalid clientId, 40104/40105 stale timestamp / replayed nonce, 40142 token
 * expired, 40143 token unrecognised, 40144 invalid JWT format, 40145 invalid token format, 40160 capability.
 */
public final class Authenticator {
    private final Keyring keys;
    private final TokenIssuer tokens;
    private final JwtVerifier jwts;

    public Authenticator(Keyring keys, Clock clock) {
        this(keys, clock, TokenPolicy.defaults());
    }

    public Authenticator(Keyring keys, Clock clock, TokenPolicy policy) {
        this.keys = keys;
        this.tokens = new TokenIssuer(keys, clock, policy);
        this.jwts = new JwtVerifier(keys, clock, policy);
    }

    /**
     * A full key {@code appId.keyId:secret} (the WebSocket {@code key=} parameter, or a decoded Basic header).
     * Key holders may act as any clientId, so the context is the wildcard "*" until a clientId is asked for.
     */
    public AuthContext authenticateKey(String fullKey) {
        if (fullKey == null) {
            throw noCredentials();
        }
        ApiKey presented = ApiKey.parse(fullKey);
        ApiKey key = keys.find(presented.keyName());
        // One answer for an unknown key and a wrong secret: which key names exist is not the caller's to learn.
        if (key == null || !Hmac.equal(key.secret(), presented.secret())) {
            throw new AblyException(40101, 401, "Invalid credentials: unknown key or wrong secret for " + presented.keyName());
        }
        return new AuthContext(key.appId(), key.keyName(), AuthContext.WILDCARD_CLIENT_ID, key.capability(), 0,
                AuthContext.Kind.BASIC);
    }

    /**
     * A native token or a JWT, raw (WebSocket {@code access_token}/{@code accessToken}, in-band AUTH) or base64
     * encoded (both SDKs base64 the token in a REST {@code Authorization: Bearer} header).
     */
    public AuthContext authenticateToken(String token) {
        if (token == null) {
            throw noCredentials();
        }
        String raw = raw(token.trim());
        return NativeToken.looksNative(raw) ? tokens.verify(raw) : jwts.verify(raw);
    }

    /** The token as issued: base64 is undone when the value has none of a token's or a JWT's marks. */
    private static String raw(String token) {
        if (isTokenShaped(token)) {
            return token;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            if (isTokenShaped(decoded)) {
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // Reported below, as for any other shape.
        }
        throw new AblyException(40145, 401, "Invalid token format: neither a token of this server nor a JWT, raw or base64");
    }

    private static boolean isTokenShaped(String s) {
        return !s.isEmpty() && (NativeToken.looksNative(s) || JwtVerifier.looksLikeJwt(s));
    }

    /** An {@code Authorization} header: {@code Basic base64(keyName:secret)} or {@code Bearer <token>}. */
    public AuthContext authenticateHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw noCredentials();
        }
        String h = authorization.trim();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            String key;
            try {
                key = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AblyException(40101, 401, "Invalid credentials: the Basic credentials are not base64");
            }
            return authenticateKey(key);
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return authenticateToken(value);
        }
        throw new AblyException(40101, 401, "Invalid credentials: the Authorization scheme must be Basic or Bearer");
    }

    /**
     * Applies the clientId a client asked for (connect {@code clientId} parameter, {@code X-Ably-ClientId} header)
     * per Ably RSA7/RSA15 and PROTOCOL.md 2.4: a wildcard context (key holders, "*" tokens) becomes identified as
     * it; a context already identified as it is unchanged; any other (a different clientId, or an anonymous token
     * claiming an identity) is 40102 incompatible credentials. The client may not ask for "*" or "" (40012).
     * A null request leaves the context as it is.
     */
    public AuthContext resolveClientId(AuthContext ctx, String requestedClientId) {
        if (requestedClientId == null) {
            return ctx;
        }
        if (requestedClientId.isEmpty() || requestedClientId.equals(AuthContext.WILDCARD_CLIENT_ID)) {
            throw new AblyException(40012, 400, "Invalid clientId '" + requestedClientId
                    + "': a client's clientId must be a non-empty string other than the reserved '*'");
        }
        if (ctx.isWildcard()) {
            return ctx.withClientId(requestedClientId);
        }
        if (requestedClientId.equals(ctx.clientId())) {
            return ctx;
        }
        throw new AblyException(40102, 401, "Incompatible credentials: clientId '" + requestedClientId + "' "
                + (ctx.clientId() == null ? "cannot be assumed with anonymous credentials"
                        : "does not match the credentials' clientId '" + ctx.clientId() + "'"));
    }

    /** {@code POST /keys/{keyName}/requestToken}: verifies the signed TokenRequest and issues a native token. */
    public TokenDetails requestToken(String keyNameFromPath, JsonNode body) {
        return tokens.requestToken(keyNameFromPath, body);
    }

    public Keyring keys() {
        return keys;
    }

    private static AblyException noCredentials() {
        return new AblyException(40101, 401, "Invalid credentials: none were given");
    }
}
