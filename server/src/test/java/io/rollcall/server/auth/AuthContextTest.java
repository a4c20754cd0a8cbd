package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthContextTest {

    private static AuthContext withClientId(String clientId, long expiresAt) {
        return new AuthContext("app", "app.k", clientId, Capability.all(), expiresAt, AuthContext.Kind.TOKEN);
    }

    @Test
    void anonymousWildcardAndIdentified() {
        AuthContext anonymous = withClientId(null, 0);
        assertThat(anonymous.isWildcard()).isFalse();
        assertThat(anonymous.isIdentified()).isFalse();

        AuthContext wildcard = withClientId("*", 0);
        assertThat(wildcard.isWildcard()).isTrue();
        assertThat(wildcard.isIdentified()).isFalse();

        AuthContext alice = withClientId("alice", 0);
        assertThat(alice.isWildcard()).isFalse();
        assertThat(alice.isIdentified()).isTrue();
    }

    @Test
    void expiresAtItsExpiryAndKeyAuthNever() {
        assertThat(withClientId(null, 0).isExpired(Long.MAX_VALUE)).isFalse();
        AuthContext token = withClientId(null, 1_000);
        assertThat(token.isExpired(999)).isFalse();
        assertThat(token.isExpired(1_000)).isTrue();
        assertThat(token.isExpired(1_001)).isTrue();
    }

    @Test
    void withClientIdKeepsEverythingElse() {
        AuthContext ctx = withClientId("*", 5).withClientId("bob");
        assertThat(ctx).isEqualTo(new AuthContext("app", "app.k", "bob", Capability.all(), 5, AuthContext.Kind.TOKEN));
    }
}
