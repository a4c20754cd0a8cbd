package io.rollcall.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The operator's switches: log level and format (flag, env, config), and the console on or off. */
class OperatorSettingsTest {
    @Test
    void jsonLogsCarryStructuredFieldsAtTheChosenLevel() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogSettings.apply("debug", "json");
            var log = LoggerFactory.getLogger("io.rollcall.test");
            log.atDebug().addKeyValue("connectionId", "conn-1").addKeyValue("channel", "room-1").log("attached");
            log.trace("not at this level");
        } finally {
            System.setOut(stdout);
            LogSettings.apply("INFO", "text");
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\"level\":\"DEBUG\"", "\"formattedMessage\":\"attached\"",
                "{\"connectionId\":\"conn-1\"}", "{\"channel\":\"room-1\"}");
        assertThat(out).doesNotContain("not at this level");
    }

    @Test
    void levelAndFormatFromFlagsThenEnv() throws Exception {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs("--log-level", "warn", "--no-console");
        var b = cmd.settings(Map.of("ROLLCALL_LOG_LEVEL", "debug", "ROLLCALL_LOG_FORMAT", "json"));
        assertThat(b.logLevel()).isEqualTo("warn");
        assertThat(b.logFormat()).isEqualTo("json");
        assertThat(b.keys(java.util.List.of(io.rollcall.server.auth.ApiKey.parse(TestServer.KEY))).build().console()).isFalse();
        assertThatThrownBy(() -> LogSettings.validate("loud", null)).hasMessageContaining("log level");
        assertThatThrownBy(() -> LogSettings.validate(null, "xml")).hasMessageContaining("log format");
    }

    @Test
    void consoleCanBeSwitchedOff() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (TestServer on = TestServer.start(); TestServer off = TestServer.start(l -> l, c -> c.console(false))) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + on.port() + "/console")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(page.body()).contains("<title>Rollcall console</title>");
            for (String path : new String[] {"/console", "/console/api/whoami"}) {
                HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + off.port() + path))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(TestServer.KEY.getBytes())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(gone.statusCode()).as(path).isEqualTo(404);
            }
        }
    }
}
