package io.rollcall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The console's vendored ably-js bundle is exactly the browser build of the ably package the interop suite pins. */
class ConsoleBundleTest {
    private static final Path PINNED = Path.of("..", "interop", "js", "node_modules", "ably");

    @Test
    void vendoredBundleIsThePinnedAblyJsBuild() throws Exception {
        byte[] vendored;
        try (InputStream in = ConsoleBundleTest.class.getClassLoader().getResourceAsStream("console/vendor/ably.min.js")) {
            assertThat(in).as("console/vendor/ably.min.js on the classpath").isNotNull();
            vendored = in.readAllBytes();
        }
        assertThat(vendored).isEqualTo(Files.readAllBytes(PINNED.resolve("build/ably.min.js")));
        assertThat(ConsoleBundleTest.class.getClassLoader().getResource("console/vendor/ably-LICENSE")).isNotNull();
    }
}
