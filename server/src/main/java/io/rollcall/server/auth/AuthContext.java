package io.rollcall.server.auth;

/**
 * Who a connection or request is, after authentication: its app and key, clientId (null for anonymous, "*"
 * for a wildcard that may act as any clientId), capability, and when its credentials expire (0 = never).
 */
public record AuthContext(String appId, String keyName, String clientId, Capability capability, long expiresAt, Kind kind) {
    public enum Kind { BASIC, TOKEN, JWT }

    public boolean isWildcard() {
        return "*".equals(clientId);
    }

    public boolean isIdentified() {
        return clientId != null && !isWildcard();
    }

    public boolean isExpired(long nowMs) {
        return expiresAt > 0 && nowMs >= expiresAt;
    }

    public AuthContext withClientId(String id) {
        return new AuthContext(appId, keyName, id, capability, expiresAt, kind);
    }
}
