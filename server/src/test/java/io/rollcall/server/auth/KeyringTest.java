package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyringTest {
    private final ApiKey a1 = ApiKey.parse("beta.k1:s1");
    private final ApiKey a2 = ApiKey.parse("beta.k2:s2");
    private final ApiKey b1 = ApiKey.parse("alpha.k1:s3");

    @Test
    void findsKeysByKeyName() {
        Keyring ring = new Keyring(List.of(a1, a2, b1));
        assertThat(ring.find("beta.k2")).isSameAs(a2);
        assertThat(ring.find("alpha.k1")).isSameAs(b1);
        assertThat(ring.find("beta.k3")).isNull();
        assertThat(ring.find("beta.k1:s1")).isNull();
        assertThat(ring.find(null)).isNull();
    }

    @Test
    void listsKeysInOrderAndAppsSorted() {
        Keyring ring = Keyring.of(a1, a2, b1);
        assertThat(ring.keys()).containsExactly(a1, a2, b1);
        assertThat(ring.apps()).containsExactly("alpha", "beta");
    }

    @Test
    void isImmutable() {
        Keyring ring = Keyring.of(a1);
        assertThatThrownBy(() -> ring.keys().add(a2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ring.apps().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesTwoKeysWithOneName() {
        assertThatThrownBy(() -> Keyring.of(a1, ApiKey.parse("beta.k1:other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta.k1");
    }
}
