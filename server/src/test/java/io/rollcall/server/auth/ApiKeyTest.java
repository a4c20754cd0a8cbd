package io.rollcall.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.protocol.AblyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {

    @Test
    void parsesAppKeyNameAndSecret() {
        ApiKey k = ApiKey.parse("myapp.key1:s3cr3t/+=");
        assertThat(k.appId()).isEqualTo("myapp");
        assertThat(k.keyName()).isEqualTo("myapp.key1");
        assertThat(k.secret()).isEqualTo("s3cr3t/+=");
        assertThat(k.capability()).isEqualTo(Capability.all());
    }

    @Test
    void theAppIsWhatPrecedesTheFirstDot() {
        ApiKey k = ApiKey.parse("app.key.v2:secret");
        assertThat(k.appId()).isEqualTo("app");
        assertThat(k.keyName()).isEqualTo("app.key.v2");
    }

    @Test
    void takesACapability() {
        ApiKey k = ApiKey.parse("app.k:secret", "{\"chat:*\":[\"subscribe\",\"presence\"]}");
        assertThat(k.capability().toJson()).isEqualTo("{\"chat:*\":[\"presence\",\"subscribe\"]}");
        assertThat(ApiKey.parse("app.k:secret", null).capability()).isEqualTo(Capability.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nocolon", "app:secret", ".key:secret", "app.:secret", "app.key:", "app.key:se:cret", ":secret"})
    void aMalformedKeyIs40005(String key) {
        assertThatThrownBy(() -> ApiKey.parse(key)).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.error().code()).isEqualTo(40005);
            assertThat(e.error().statusCode()).isEqualTo(400);
            assertThat(e.error().message()).contains("appId.keyId:secret");
        });
    }

    @Test
    void aNullKeyIs40005() {
        assertThatThrownBy(() -> ApiKey.parse(null)).isInstanceOfSatisfying(AblyException.class,
                e -> assertThat(e.error().code()).isEqualTo(40005));
    }

    @Test
    void anInvalidCapabilityIs40000() {
        assertThatThrownBy(() -> ApiKey.parse("app.k:secret", "{\"a\":[\"fly\"]}"))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
    }

    @Test
    void neverPrintsTheSecret() {
        ApiKey k = ApiKey.parse("app.k:topsecret");
        assertThat(k.toString()).isEqualTo("app.k:<secret>").doesNotContain("topsecret");
    }

    @Test
    void theKeyNameMustBelongToTheApp() {
        assertThatThrownBy(() -> new ApiKey("other", "app.k", "s", Capability.all()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
