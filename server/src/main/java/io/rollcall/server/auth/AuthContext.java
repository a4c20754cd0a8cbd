package io.rollcall.server.auth;

import java.util.Map;
import java.util.Objects;

/**
 * Who a connection or REST request is, once authenticated: its app and key, its clientId (null = anonymous,
 * "*" = wildcard that may act as any clientId, else identified), its capability, and when its credentials expire
 * (epoch ms; 0 = never, as for key auth). A JWT may carry Chat user claims ({@code ably.room.<room>}), which the
 * server copies into {@code extras.userClaim} of what the client sends in that room.
 */
public record AuthContext(String appId, String keyName, String clientId, Capability capability, long expiresAt, Kind kind,
                          Map<String, String> roomClaims) {

    /** How the credentials were presented: an API key, a native token, or a JWT. */
    public enum Kind { BASIC, TOKEN, JWT }

    public static final String WILDCARD_CLIENT_ID = "*";

    /** Credentials without Chat user claims. */
    public AuthContext(String appId, String keyName, String clientId, Capability capability, long expiresAt, Kind kind) {
        this(appId, keyName, clientId, capability, expiresAt, kind, Map.of());
    }

    public AuthContext {
        roomClaims = roomClaims == null ? Map.of() : roomClaims;
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(kind, "kind");
    }

    /** May act as any clientId (key holders, and tokens issued for "*"). */
    public boolean isWildcard() {
        return WILDCARD_CLIENT_ID.equals(clientId);
    }

    /** Has a concrete clientId every message and presence action is attributed to. */
    public boolean isIdentified() {
        return clientId != null && !isWildcard();
    }

    /** True once the credentials have expired; key auth (expiresAt 0) never does. */
    public boolean isExpired(long nowMs) {
        return expiresAt > 0 && nowMs >= expiresAt;
    }

    public AuthContext withClientId(String id) {
        return new AuthContext(appId, keyName, id, capability, expiresAt, kind, roomClaims);
    }

    /** The Chat user claim for a channel of a room ({@code <room>::$chat}), or null. */
    public String userClaimFor(String channel) {
        if (roomClaims.isEmpty()) {
            return null;
        }
        int cut = channel.indexOf("::$");
        return roomClaims.get(cut < 0 ? channel : channel.substring(0, cut));
    }
}
