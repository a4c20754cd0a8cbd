package io.rollcall.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.ServerProcess;
import io.rollcall.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK as a user gets it: a Maven project outside the repository (in a temporary directory), made of the
 * README's dependency snippet and quick start as written, resolves the SDK only through its published
 * coordinates (from the file repository the build lays out, as {@code ./rollcall install-sdk --repo DIR}
 * does), compiles, and runs against the packaged server in its own process, as {@code ./rollcall serve} runs it.
 *
 * <p>The sample build has a local repository of its own, so nothing it resolves lands in ~/.m2; everything
 * besides the SDK comes from ~/.m2 used as a read-only file repository, so it needs no network.
 */
class SdkInstallIT {
    private static final Path ROOT = Paths.get(System.getProperty("rollcall.repoRoot", "..")).toAbsolutePath().normalize();
    private static final Path SDK_REPO = Paths.get(System.getProperty("rollcall.sdkRepo", "../target/sdk-repo")).toAbsolutePath().normalize();
    private static final String SDK_VERSION = System.getProperty("rollcall.sdkVersion");
    private static final String ABLY_VERSION = System.getProperty("rollcall.ablyVersion");

    /** The first fenced code block after the marker comment. */
    static String snippet(String readme, String marker) {
        int at = readme.indexOf("<!-- " + marker);
        assertThat(at).as("README marker " + marker).isNotNegative();
        Matcher m = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find(at)).isTrue();
        return m.group(1);
    }

    @Test
    void aProjectOutsideTheRepoBuildsAndRunsOnTheDocumentedCoordinates(@TempDir Path sample) throws Exception {
        // The published artifacts, as the install command lays them out.
        Path chat = SDK_REPO.resolve("io/rollcall/rollcall-chat/" + SDK_VERSION);
        for (String suffix : List.of(".jar", ".pom", "-sources.jar", "-javadoc.jar")) {
            assertThat(chat.resolve("rollcall-chat-" + SDK_VERSION + suffix)).isRegularFile();
        }
        String publishedPom = Files.readString(chat.resolve("rollcall-chat-" + SDK_VERSION + ".pom"));
        assertThat(publishedPom).as("a standalone pom: no SNAPSHOT parent, no test dependencies")
                .doesNotContain("<parent>", "SNAPSHOT", "rollcall-server");
        // The BOM pins this very SDK and the ably-java it was built with.
        String bom = Files.readString(SDK_REPO.resolve("io/rollcall/rollcall-bom/" + SDK_VERSION + "/rollcall-bom-" + SDK_VERSION + ".pom"));
        assertThat(bom).contains("<artifactId>rollcall-chat</artifactId><version>" + SDK_VERSION + "</version>",
                "<artifactId>ably-java</artifactId><version>" + ABLY_VERSION + "</version>");

        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("| `io.rollcall:rollcall-chat` | " + SDK_VERSION + " |", "| `io.ably:ably-java` | " + ABLY_VERSION + " |");
        String dependencies = snippet(readme, "quickstart:dependencies");
        String quickStart = snippet(readme, "quickstart:java");

        Path src = Files.createDirectories(sample.resolve("src/main/java"));
        Files.writeString(src.resolve("QuickStart.java"), quickStart);
        Files.writeString(sample.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>quickstart</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <repositories>
                    <repository><id>rollcall-sdk</id><url>%s</url></repository>
                  </repositories>
                %s
                  <build>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(SDK_REPO.toUri(), dependencies));
        // Everything but the SDK from ~/.m2, read as a file repository (no network); a local repository of its own.
        Path userRepo = Paths.get(System.getProperty("user.home"), ".m2", "repository");
        Files.writeString(sample.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>local-m2</id><mirrorOf>*,!rollcall-sdk</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(sample.resolve("m2"), userRepo.toUri()));

        // The packaged server, as `./rollcall serve` runs it.
        ServerProcess server = ServerProcess.start(ServerProcess.serve("--port", "0", "--key", TestServer.KEY));
        try {
            List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-s", "settings.xml", "compile",
                    "org.codehaus.mojo:exec-maven-plugin:3.5.0:exec", "-Dexec.executable=java",
                    "-Dexec.args=-cp %classpath QuickStart"));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(sample.toFile()).redirectErrorStream(true)
                    .redirectOutput(sample.resolve("build.log").toFile());
            pb.environment().put("ROLLCALL_KEY", TestServer.KEY);
            pb.environment().put("ROLLCALL_PORT", Integer.toString(server.port()));
            Process mvn = pb.start();
            boolean done = mvn.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                mvn.destroyForcibly();
            }
            String log = read(sample.resolve("build.log"));
            assertThat(done).as("the sample build finished; log:\n" + log).isTrue();
            assertThat(mvn.exitValue()).as("the sample build succeeded; log:\n" + log).isZero();
            assertThat(log).containsPattern("alice is here with \\{(status=online, age=30|age=30, status=online)\\}");
        } finally {
            server.process().destroy();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
        // The sample resolved the SDK from the SDK's repository into its own local repository, not ~/.m2.
        assertThat(sample.resolve("m2/io/rollcall/rollcall-chat/" + SDK_VERSION + "/rollcall-chat-" + SDK_VERSION + ".jar")).isRegularFile();
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
