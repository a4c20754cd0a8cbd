package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.protocol.AblyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"room1::$chat", "a", "foo:bar", "[meta]occupancy", "ünïcødé 🎉", "with space inside", "a/b?c#d"})
    void acceptsLegalNames(String name) {
        assertThat(ChannelName.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":lead", ",comma", " space", "\ttab", "line\nbreak", "cr\rhere", "[unclosed", "[]x", "[meta]"})
    void rejectsIllegalNamesWith40010(String name) {
        assertThatThrownBy(() -> ChannelName.validate(name))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(40010);
                    assertThat(e.error().statusCode()).isEqualTo(400);
                });
    }
}
