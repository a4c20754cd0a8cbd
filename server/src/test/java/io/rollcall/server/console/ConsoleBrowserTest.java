package io.rollcall.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Drives the operator console in real headless Chromium (interop/js/browser/console.test.mjs, playwright-core
 * with Debian's chromium, which .ci/run installs): sign-in, a room filling as @ably/chat clients enter,
 * occupancy, members and data, publish, enter, webhook counters against real HTTP receivers, a wrong key,
 * 10,000 channels and 10,000 members paged and filtered by the server, and the node list of a two-node cluster.
 * Set -Drollcall.screenshots=DIR to write the README's screenshots there.
 */
class ConsoleBrowserTest {
    @Test
    void consoleInHeadlessChromium() throws Exception {
        File dir = new File("../interop/js").getCanonicalFile();
        assertThat(new File(dir, "node_modules/playwright-core")).as("npm packages installed by the build").exists();
        assertThat(new File(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .as("chromium (installed by .ci/run: apt-get install chromium)").exists();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/ok", ex -> {
            ex.getRequestBody().readAllBytes();
            delivered.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.createContext("/fail", ex -> {
            ex.getRequestBody().readAllBytes();
            refused.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        var hooks = new ObjectMapper().readTree("""
                [{"id": "console-presence", "source": "channel.presence", "url": "%s/ok", "batchMaxAgeMs": 50},
                 {"id": "console-failing", "source": "channel.occupancy", "url": "%s/fail", "batchMaxAgeMs": 50}]
                """.formatted(base, base));
        StringBuilder output = new StringBuilder();
        int exit;
        try (TestServer server = TestServer.start(l -> l.maxInboundRate(100_000), c -> c.webhooks(hooks));
             TestCluster cluster = TestCluster.start(2)) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=spec", "browser/console.test.mjs")
                    .directory(dir).redirectErrorStream(true);
            pb.environment().put("ROLLCALL_PORT", Integer.toString(server.port()));
            pb.environment().put("ROLLCALL_KEY", TestServer.KEY);
            pb.environment().put("ROLLCALL_LIMITED_KEY", TestServer.LIMITED_KEY);
            pb.environment().put("ROLLCALL_CLUSTER_PORTS", cluster.port(0) + "," + cluster.port(1));
            pb.environment().put("ROLLCALL_HOOK_OK", "console-presence");
            pb.environment().put("ROLLCALL_HOOK_FAILING", "console-failing");
            String shots = System.getProperty("rollcall.screenshots");
            if (shots != null) {
                pb.environment().put("ROLLCALL_SCREENSHOTS", new File(shots).getCanonicalPath());
            }
            Process p = pb.start();
            output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("the browser test did not finish in 5 minutes:\n" + output);
            }
            exit = p.exitValue();
        } finally {
            receiver.stop(0);
        }
        System.out.println(output);
        assertThat(exit).as(output.toString()).isZero();
        assertThat(output).contains("pass 5", "fail 0");
        // The counters the page showed moved because the receivers really were called.
        assertThat(delivered.get()).isPositive();
        assertThat(refused.get()).isPositive();
    }
}
