package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonceCacheTest {
    private static final long WINDOW = 120_000;

    @Test
    void aNonceIsAcceptedOncePerKey() {
        NonceCache cache = new NonceCache(WINDOW, 100);
        assertThat(cache.record("app.k", "1234567890123456", 0)).isEqualTo(NonceCache.Outcome.RECORDED);
        assertThat(cache.record("app.k", "1234567890123456", 10)).isEqualTo(NonceCache.Outcome.REPLAYED);
        assertThat(cache.record("app.other", "1234567890123456", 10)).isEqualTo(NonceCache.Outcome.RECORDED);
    }

    @Test
    void aNonceIsRememberedWhileItsRequestCouldStillBeCurrent() {
        NonceCache cache = new NonceCache(WINDOW, 100);
        cache.record("app.k", "n", 0);
        // A request stamped up to one window ahead stays current until one window after that.
        assertThat(cache.record("app.k", "n", 2 * WINDOW)).isEqualTo(NonceCache.Outcome.REPLAYED);
        assertThat(cache.record("app.k", "n", 2 * WINDOW + 1)).isEqualTo(NonceCache.Outcome.RECORDED);
    }

    @Test
    void whenFullNewNoncesAreRefusedUntilOldOnesExpire() {
        NonceCache cache = new NonceCache(WINDOW, 2);
        assertThat(cache.record("k", "a", 0)).isEqualTo(NonceCache.Outcome.RECORDED);
        assertThat(cache.record("k", "b", 1)).isEqualTo(NonceCache.Outcome.RECORDED);
        assertThat(cache.record("k", "c", 2)).isEqualTo(NonceCache.Outcome.FULL);
        assertThat(cache.record("k", "a", 3)).as("a full cache still knows its nonces").isEqualTo(NonceCache.Outcome.REPLAYED);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.record("k", "c", 2 * WINDOW + 1)).isEqualTo(NonceCache.Outcome.RECORDED);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.record("k", "d", 2 * WINDOW + 2)).isEqualTo(NonceCache.Outcome.RECORDED);
        assertThat(cache.size()).isEqualTo(2);
    }
}
