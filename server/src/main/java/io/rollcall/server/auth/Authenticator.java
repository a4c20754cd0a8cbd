package io.rollcall.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.server.protocol.AblyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * The one entry point for credentials, used at the edge (socket connect, REST requests, in-band AUTH):
 * API keys, native tokens, JWTs, and Ably's clientId rules.
 */
public final class Authenticator {
    private final Keyring keys;
    private final Clock clock;
    private final TokenIssuer tokens;
    private final JwtVerifier jwts;

    public Authenticator(Keyring keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
        this.tokens = new TokenIssuer(keys, clock);
        this.jwts = new JwtVerifier(keys, clock);
    }

    /** A full key {@code appId.keyId:secret}. Key holders act as a wildcard clientId until they name one. */
    public AuthContext authenticateKey(String fullKey) {
        int colon = fullKey.indexOf(':');
        ApiKey key = colon > 0 ? keys.find(fullKey.substring(0, colon)) : null;
        if (key == null || !Hmac.equal(key.secret(), fullKey.substring(colon + 1))) {
            throw new AblyException(40101, 401, "Invalid credentials: unknown key or wrong secret");
        }
        return new AuthContext(key.appId(), key.keyName(), "*", key.capability(), 0, AuthContext.Kind.BASIC);
    }

    /** A native token or a JWT, raw or base64-encoded (the SDKs base64 bearer tokens over REST). */
    public AuthContext authenticateToken(String token) {
        String t = token.trim();
        if (!NativeToken.looksNative(t) && !JwtVerifier.looksLikeJwt(t)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8);
                if (NativeToken.looksNative(decoded) || JwtVerifier.looksLikeJwt(decoded)) {
                    t = decoded;
                }
            } catch (IllegalArgumentException notBase64) {
                // Neither form: reported below.
            }
        }
        if (NativeToken.looksNative(t)) {
            return tokens.verify(t);
        }
        if (JwtVerifier.looksLikeJwt(t)) {
            return jwts.verify(t);
        }
        throw new AblyException(40145, 401, "Invalid token format");
    }

    /** An {@code Authorization} header: {@code Basic base64(key)} or {@code Bearer token}. */
    public AuthContext authenticateHeader(String header) {
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            String key;
            try {
                key = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AblyException(40101, 401, "Invalid credentials: Basic value is not base64");
            }
            return authenticateKey(key);
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return authenticateToken(value);
        }
        throw new AblyException(40101, 401, "Invalid credentials: expected Basic or Bearer authorization");
    }

    /**
     * Applies a clientId the client asked for (connect parameter or X-Ably-ClientId): key holders and
     * wildcard tokens take it; a token bound to a clientId must match it (40102); "*" cannot be asked for.
     */
    public AuthContext resolveClientId(AuthContext ctx, String requested) {
        if (requested == null || requested.isEmpty()) {
            return ctx;
        }
        if (requested.equals("*")) {
            throw new AblyException(40012, 400, "Invalid clientId: a client cannot ask for the wildcard '*'");
        }
        if (ctx.kind() == AuthContext.Kind.BASIC || ctx.isWildcard()) {
            return ctx.withClientId(requested);
        }
        if (requested.equals(ctx.clientId())) {
            return ctx;
        }
        throw new AblyException(40102, 401, "Incompatible credentials: clientId '" + requested
                + "' does not match the token's clientId '" + ctx.clientId() + "'");
    }

    public TokenDetails requestToken(String keyNameFromPath, JsonNode body) {
        return tokens.requestToken(keyNameFromPath, body);
    }

    Clock clock() {
        return clock;
    }
}
