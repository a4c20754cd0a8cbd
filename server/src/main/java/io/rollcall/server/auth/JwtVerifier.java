package io.rollcall.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.rollcall.server.protocol.AblyException;
import java.time.Clock;
import java.util.Date;

/**
 * Ably JWTs (ably/docs {@code auth/token/jwt.mdx}): HS256, header {@code kid} = keyName, signed with that key's
 * secret; claims {@code iat} and {@code exp} in seconds, {@code x-ably-capability} (a JSON string, narrowed to the
 * key's capability) and optionally {@code x-ably-clientId}.
 *
 * <p>Errors (ably-common {@code protocol/errors.json}): anything that is not a well-formed Ably JWT is 40144
 * "invalid JWT format"; a kid naming no key, or a signature that does not verify, 40143 "token unrecognised";
 * past {@code exp}, 40142 "token expired"; a lifetime past 24 h, 40144; {@code iat} or {@code nbf} further in the
 * future than the clock tolerance, 40104 "timestamp not current". All with status 401, so SDKs treat them as token errors and renew.
 */
final class JwtVerifier {
    static final String CAPABILITY_CLAIM = "x-ably-capability";
    static final String CLIENT_ID_CLAIM = "x-ably-clientId";

    private final Keyring keys;
    private final Clock clock;
    private final TokenPolicy policy;

    JwtVerifier(Keyring keys, Clock clock, TokenPolicy policy) {
        this.keys = keys;
        this.clock = clock;
        this.policy = policy;
    }

    /** A JWT is base64url parts joined by '.'; neither native tokens nor base64 contain a '.'. */
    static boolean looksLikeJwt(String token) {
        return token.indexOf('.') >= 0;
    }

    AuthContext verify(String token) {
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw invalid("it does not decode (" + e.getMessage() + ")");
        }
        if (!"HS256".equals(jwt.getAlgorithm())) {
            throw invalid("alg must be HS256, not " + jwt.getAlgorithm());
        }
        if (jwt.getKeyId() == null) {
            throw invalid("the header has no kid naming the key that signed it");
        }
        ApiKey key = keys.find(jwt.getKeyId());
        if (key == null) {
            throw new AblyException(40143, 401, "Token unrecognised: the JWT's kid " + jwt.getKeyId() + " names no key here");
        }
        try {
            Algorithm.HMAC256(key.secret()).verify(jwt);
        } catch (SignatureVerificationException e) {
            throw new AblyException(40143, 401, "Token unrecognised: the JWT's signature does not verify");
        }
        Date exp = jwt.getExpiresAt();
        if (exp == null) {
            throw invalid("it has no exp claim");
        }
        long expires = exp.getTime();
        long now = clock.millis();
        if (now >= expires) {
            throw new AblyException(40142, 401, "Token expired at " + expires);
        }
        checkLifetime(jwt, now, expires);
        Capability capability = key.capability();
        String capabilityJson = stringClaim(jwt, CAPABILITY_CLAIM);
        if (capabilityJson != null) {
            Capability requested;
            try {
                requested = Capability.parse(capabilityJson);
            } catch (AblyException e) {
                throw invalid(CAPABILITY_CLAIM + " is not a valid capability: " + e.error().message());
            }
            capability = key.capability().intersect(requested);
        }
        String clientId = stringClaim(jwt, CLIENT_ID_CLAIM);
        return new AuthContext(key.appId(), key.keyName(), clientId == null || clientId.isEmpty() ? null : clientId,
                capability, expires, AuthContext.Kind.JWT, roomClaims(jwt));
    }

    /** Chat user claims: {@code ably.room.<room>} string claims, by room name. */
    private static java.util.Map<String, String> roomClaims(DecodedJWT jwt) {
        java.util.Map<String, String> out = null;
        for (java.util.Map.Entry<String, Claim> e : jwt.getClaims().entrySet()) {
            if (e.getKey().startsWith(ROOM_CLAIM_PREFIX) && e.getKey().length() > ROOM_CLAIM_PREFIX.length()) {
                String value = e.getValue().asString();
                if (value == null) {
                    throw invalid(e.getKey() + " must be a string");
                }
                if (out == null) {
                    out = new java.util.HashMap<>();
                }
                out.put(e.getKey().substring(ROOM_CLAIM_PREFIX.length()), value);
            }
        }
        return out == null ? java.util.Map.of() : java.util.Map.copyOf(out);
    }

    private static final String ROOM_CLAIM_PREFIX = "ably.room.";

    /**
     * The same bounds as a token request's: a lifetime of at most maxTtl (24 h) and the clock tolerance of its
     * timestamp window (2 min) for iat and nbf, so an exp given in milliseconds (year 57,000) or a token issued
     * in the future is refused rather than honoured for ever.
     */
    private void checkLifetime(DecodedJWT jwt, long now, long expires) {
        long maxTtl = policy.maxTtl().toMillis();
        long tolerance = policy.timestampWindow().toMillis();
        if (expires - now > maxTtl + tolerance) {
            throw invalid("exp is " + (expires - now) / 1000 + " s away; a token lives at most " + maxTtl / 1000
                    + " s (exp is in seconds)");
        }
        Date iat = jwt.getIssuedAt();
        if (iat != null) {
            if (iat.getTime() - now > tolerance) {
                throw new AblyException(40104, 401, "Timestamp not current: the JWT's iat is "
                        + (iat.getTime() - now) / 1000 + " s in the future");
            }
            if (expires - iat.getTime() > maxTtl) {
                throw invalid("exp - iat is " + (expires - iat.getTime()) / 1000 + " s; a token lives at most "
                        + maxTtl / 1000 + " s");
            }
        }
        Date nbf = jwt.getNotBefore();
        if (nbf != null && nbf.getTime() - now > tolerance) {
            throw new AblyException(40104, 401, "Timestamp not current: the JWT is not valid before "
                    + nbf.getTime() + " (" + (nbf.getTime() - now) / 1000 + " s from now)");
        }
    }

    /** The claim's string value, null when absent; any other type is a malformed JWT. */
    private static String stringClaim(DecodedJWT jwt, String name) {
        Claim c = jwt.getClaim(name);
        if (c.isMissing() || c.isNull()) {
            return null;
        }
        String s = c.asString();
        if (s == null) {
            throw invalid(name + " must be a string");
        }
        return s;
    }

    private static AblyException invalid(String why) {
        return new AblyException(40144, 401, "Invalid JWT format: " + why);
    }
}
