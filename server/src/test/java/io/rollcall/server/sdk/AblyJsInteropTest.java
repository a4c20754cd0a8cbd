package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.TestCluster;
import io.rollcall.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Node interop suite (interop/js: real ably-js and @ably/chat) against an in-process server (and a
 * two-node cluster on a real Redis for the cluster tests) and
 * reports each Node test as a JUnit test, so one command runs everything.
 */
class AblyJsInteropTest {
    private static final Pattern TAP = Pattern.compile("^(\\s*)(not ok|ok) \\d+ - (.*?)(\\s+#\\s*(SKIP|TODO).*)?$");

    record Result(String name, boolean ok, String detail) {}

    @TestFactory
    Stream<DynamicTest> nodeSuite() throws Exception {
        File dir = new File("../interop/js").getCanonicalFile();
        assertThat(new File(dir, "node_modules/ably")).as("npm packages installed by the build").exists();
        List<Result> results = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        int exit;
        try (TestServer server = TestServer.start(); TestCluster cluster = TestCluster.start(2)) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=tap", "test/")
                    .directory(dir).redirectErrorStream(true);
            pb.environment().put("ROLLCALL_PORT", Integer.toString(server.port()));
            pb.environment().put("ROLLCALL_KEY", TestServer.KEY);
            pb.environment().put("ROLLCALL_LIMITED_KEY", TestServer.LIMITED_KEY);
            pb.environment().put("ROLLCALL_OTHER_APP_KEY", TestServer.OTHER_APP_KEY);
            pb.environment().put("ROLLCALL_CLUSTER_PORTS", cluster.port(0) + "," + cluster.port(1));
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    output.append(line).append('\n');
                }
            }
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("node test suite did not finish in 20 minutes");
            }
            exit = p.exitValue();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = TAP.matcher(lines.get(i));
                if (m.matches()) {
                    StringBuilder detail = new StringBuilder();
                    for (int j = i + 1; j < lines.size() && j < i + 40 && !TAP.matcher(lines.get(j)).matches(); j++) {
                        detail.append(lines.get(j)).append('\n');
                    }
                    boolean skipped = m.group(5) != null;
                    results.add(new Result(m.group(3), m.group(2).equals("ok") && !skipped,
                            skipped ? "skipped or todo tests are not allowed\n" + detail : detail.toString()));
                }
            }
        }
        System.out.println(output);
        List<DynamicTest> tests = new ArrayList<>();
        for (Result r : results) {
            tests.add(DynamicTest.dynamicTest(r.name(), () -> assertThat(r.ok()).as(r.name() + "\n" + r.detail()).isTrue()));
        }
        int finalExit = exit;
        String tail = output.length() > 4000 ? output.substring(output.length() - 4000) : output.toString();
        tests.add(DynamicTest.dynamicTest("node --test exits 0 with at least one test", () -> {
            assertThat(results).as("TAP results").isNotEmpty();
            assertThat(finalExit).as(tail).isZero();
        }));
        return tests.stream();
    }
}
