package io.rollcall.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.rollcall.server.protocol.AblyException;
import java.time.Clock;

/**
 * Ably JWTs: HS256, header {@code kid} = keyName, signed with that key's secret; claims {@code exp},
 * {@code x-ably-capability} (a JSON string, limited by the key's capability) and {@code x-ably-clientId}.
 */
final class JwtVerifier {
    private final Keyring keys;
    private final Clock clock;

    JwtVerifier(Keyring keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first && token.chars().filter(c -> c == '.').count() == 2;
    }

    AuthContext verify(String token) {
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new AblyException(40144, 400, "Invalid JWT format");
        }
        ApiKey key = jwt.getKeyId() == null ? null : keys.find(jwt.getKeyId());
        if (key == null) {
            throw new AblyException(40143, 401, "Token unrecognised: JWT kid names no key of this server");
        }
        if (!"HS256".equals(jwt.getAlgorithm())) {
            throw new AblyException(40144, 400, "Invalid JWT: only HS256 is supported");
        }
        try {
            Algorithm.HMAC256(key.secret()).verify(jwt);
        } catch (SignatureVerificationException e) {
            throw new AblyException(40143, 401, "Token unrecognised: JWT signature does not verify");
        }
        if (jwt.getExpiresAt() == null) {
            throw new AblyException(40144, 400, "Invalid JWT: no exp claim");
        }
        long expires = jwt.getExpiresAt().getTime();
        if (clock.millis() >= expires) {
            throw new AblyException(40142, 401, "Token expired");
        }
        Claim cap = jwt.getClaim("x-ably-capability");
        Capability capability = cap.isMissing() || cap.isNull() ? key.capability()
                : key.capability().intersect(Capability.parse(cap.asString()));
        Claim clientId = jwt.getClaim("x-ably-clientId");
        return new AuthContext(key.appId(), key.keyName(), clientId.isMissing() || clientId.isNull() ? null : clientId.asString(),
                capability, expires, AuthContext.Kind.JWT);
    }
}
