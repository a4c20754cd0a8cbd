package io.rollcall.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void readsHostPortKeysAndLimits() throws Exception {
        Path f = dir.resolve("rollcall.yaml");
        Files.writeString(f, """
                host: 0.0.0.0
                port: 9000
                keys:
                  - app.one:secret1
                  - key: app.two:secret2
                    capability: {"*": ["subscribe"]}
                limits:
                  presenceGrace: PT5S
                  occupancyInterval: 250
                """);
        ServerConfig c = ConfigFile.read(f, ServerConfig.builder()).build();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.keys()).hasSize(2);
        assertThat(c.keys().get(1).keyName()).isEqualTo("app.two");
        assertThat(c.limits().presenceGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.limits().occupancyInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void unknownSettingsAreRejectedWithTheirName() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "prot: 9000\n");
        assertThatThrownBy(() -> ConfigFile.read(f, ServerConfig.builder()))
                .hasMessageContaining("unknown setting 'prot'");
        Files.writeString(f, "limits:\n  presenceGrase: 1000\n");
        assertThatThrownBy(() -> ConfigFile.read(f, ServerConfig.builder()))
                .hasMessageContaining("unknown limit 'presenceGrase'");
        Files.writeString(f, "limits:\n  maxMessageSize: lots\n");
        assertThatThrownBy(() -> ConfigFile.read(f, ServerConfig.builder()))
                .hasMessageContaining("invalid value 'lots'");
    }

    @Test
    void theHostileInputBoundsAreSettingsToo() throws Exception {
        Path f = dir.resolve("bounds.yaml");
        Files.writeString(f, """
                keys:
                  - app.one:secret1
                limits:
                  httpRequestTimeout: PT3S
                  maxPendingConnections: 500
                  maxPendingConnectionsPerAddress: 50
                  maxPresenceMembersPerConnection: 100
                  outcomeMemory: 64
                """);
        Limits l = ConfigFile.read(f, ServerConfig.builder()).build().limits();
        assertThat(l.httpRequestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(l.maxPendingConnections()).isEqualTo(500);
        assertThat(l.maxPendingConnectionsPerAddress()).isEqualTo(50);
        assertThat(l.maxPresenceMembersPerConnection()).isEqualTo(100);
        assertThat(l.outcomeMemory()).isEqualTo(64);
        Files.writeString(f, "limits:\n  httpRequestTimeout: 0\n");
        assertThatThrownBy(() -> ConfigFile.read(f, ServerConfig.builder()))
                .hasMessageContaining("httpRequestTimeout must be positive");
    }
}
