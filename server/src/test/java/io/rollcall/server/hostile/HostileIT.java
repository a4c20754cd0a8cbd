package io.rollcall.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.ServerProcess;
import io.rollcall.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server, attacked as the issue's fuzzer did: 100,000 hostile WebSocket frames (on long-lived
 * connections, plus frames that are fatal to their connection, each on a fresh one), 10,000 hostile REST
 * requests, and held-open sockets that never finish a request, while a probe client measures its round trip.
 * Then: every frame and request answered, nothing a 5xx, no stack trace of our code in the log, and the RSS after
 * a GC back within 10% of its value before the attack.
 *
 * <p>JVM flags of the server under test: {@code -Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10
 * -XX:MaxHeapFreeRatio=20}, so a full GC ({@code jcmd GC.run}) gives back heap it no longer needs, and
 * {@code -XX:TrimNativeHeapInterval=1000}, so freed native memory (the JIT's arenas) goes back to the system, and
 * {@code MALLOC_ARENA_MAX=2}, so glibc keeps few native arenas. The baseline is taken after a first round of the
 * same attack (JIT, class loading, Netty's pools: a server that has served it once), and after a GC.
 */
class HostileIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int FRAMES = 100_000;
    static final int FATAL_FRAMES = 2_000;
    static final int REST_REQUESTS = 10_000;
    static final int IDLE_SOCKETS = 1_200;
    static final int SLOW_SOCKETS = 500;
    static final int PENDING_PER_ADDRESS = 1_500;

    ServerProcess server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.process().destroyForcibly();
        }
    }

    @Test
    void survivesTheIssuesAttacksAndFloodsAndGivesItsMemoryBack() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xms64m", "-Xmx512m", "-XX:+UseG1GC",
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:NativeMemoryTracking=summary",
                "-XX:TrimNativeHeapInterval=1000", "-jar", System.getProperty("rollcall.jar"), "serve",
                "--port", "0", "--key", TestServer.KEY, "--key", TestServer.LIMITED_KEY + "=" + TestServer.LIMITED_CAPABILITY,
                "--limit", "maxInboundRate=1000000", "--limit", "httpRequestTimeout=3000",
                "--limit", "maxPendingConnectionsPerAddress=" + PENDING_PER_ADDRESS));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        server = ServerProcess.start(pb);
        int port = server.port();
        long pid = server.process().pid();

        // Warm-up: the same attack once, so the baseline is a server that has served it (JIT-compiled, pools
        // filled); what a second attack leaves behind is then what attacks cost for good.
        attack(port, FRAMES, FATAL_FRAMES, REST_REQUESTS, new Probe(port), true);
        long baseline = rssAfterGc(pid);
        jcmd(pid, "VM.native_memory", "baseline");

        Probe probe = new Probe(port);
        Thread probing = new Thread(probe, "probe");
        probing.start();
        long start = System.nanoTime();
        Report r = attack(port, FRAMES, FATAL_FRAMES, REST_REQUESTS, probe, true);
        long attackMs = (System.nanoTime() - start) / 1_000_000;
        probe.stop();
        probing.join();

        long after = rssAfterGc(pid);
        // What grew, by the JVM's own accounting, for the report should the RSS bound fail.
        String nmt = jcmd(pid, "VM.native_memory", "summary.diff");
        List<Long> rtts = probe.sortedRtts();
        String figures = String.format("attack %d ms; frames %d (answered %d), fatal %d (answered %d), REST %d "
                        + "(answered %d, statuses %s), idle/slow sockets %d/%d closed by the server %d, refused %d; "
                        + "probe RTT p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d probes (%d unanswered; during the floods "
                        + "%s, during the held sockets %s); "
                        + "RSS baseline %d KiB, after %d KiB (%.1f%%)",
                attackMs, r.frames, r.framesAnswered, r.fatal, r.fatalAnswered, r.rest, r.restAnswered, r.statuses,
                IDLE_SOCKETS, SLOW_SOCKETS, r.socketsClosed, r.socketsRefused,
                pct(rtts, 0.50) / 1e6, pct(rtts, 0.99) / 1e6, pct(rtts, 1.0) / 1e6, rtts.size(), probe.unanswered(),
                probe.during(r.floodsFrom, r.floodsTo), probe.during(r.floodsTo, r.socketsTo),
                baseline, after, 100.0 * (after - baseline) / baseline);
        System.out.println("HostileIT: " + figures);
        Files.writeString(Path.of(System.getProperty("rollcall.jar")).resolveSibling("hostile-it.txt"), figures + "\n");

        assertThat(r.framesAnswered).as(figures).isEqualTo(r.frames);
        assertThat(r.fatalAnswered).as(figures).isEqualTo(r.fatal);
        assertThat(r.restAnswered).as(figures).isEqualTo(r.rest);
        assertThat(r.serverErrors.get()).as("5xx answers: " + figures).isZero();
        assertThat(r.errorsWithoutAblyCode.get()).as("error answers without an Ably code: " + figures).isZero();
        assertThat(r.socketsClosed + r.socketsRefused).as(figures).isEqualTo(IDLE_SOCKETS + SLOW_SOCKETS);
        assertThat(r.socketsRefused).as(figures).isPositive();
        assertThat(probe.unanswered()).as(figures).isZero();
        assertThat(pct(rtts, 0.99)).as("probe p99 (ns) stays low: " + figures).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(server.process().isAlive()).isTrue();
        List<String> ours = server.lines().stream().filter(l -> l.contains("at io.rollcall.")
                || l.contains("reached the tail of the pipeline") || l.contains("Exception")).toList();
        assertThat(ours).as("stack traces and exceptions in the server's log").isEmpty();
        assertThat(after).as("RSS after a GC within 10%% of the baseline: " + figures + "\n" + nmt)
                .isLessThanOrEqualTo(baseline * 110 / 100);
    }

    // ---------------------------------------------------------------- the attack

    static final class Report {
        long floodsFrom;
        long floodsTo;
        long socketsTo;
        int frames;
        int fatal;
        int rest;
        long framesAnswered;
        long fatalAnswered;
        long restAnswered;
        int socketsClosed;
        int socketsRefused;
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger errorsWithoutAblyCode = new AtomicInteger();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    }

    Report attack(int port, int frames, int fatal, int restRequests, Probe probe, boolean sockets) throws Exception {
        Report r = new Report();
        r.frames = frames;
        r.fatal = fatal;
        r.rest = restRequests;
        ExecutorService pool = Executors.newFixedThreadPool(24);
        r.floodsFrom = System.nanoTime();
        try {
            CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> frameFlood(port, frames), pool);
            CompletableFuture<Long> fatalOnes = CompletableFuture.supplyAsync(() -> fatalFrames(port, fatal, pool), pool);
            CompletableFuture<Long> rest = CompletableFuture.supplyAsync(() -> restFlood(port, restRequests, r, pool), pool);
            r.framesAnswered = flood.get(5, TimeUnit.MINUTES);
            r.fatalAnswered = fatalOnes.get(5, TimeUnit.MINUTES);
            r.restAnswered = rest.get(5, TimeUnit.MINUTES);
            r.floodsTo = System.nanoTime();
            if (sockets) {
                heldOpenSockets(port, r);
            }
            r.socketsTo = System.nanoTime();
        } finally {
            pool.shutdownNow();
        }
        return r;
    }

    /** Non-fatal hostile frames on long-lived connections; each gets exactly one answer. Returns answers. */
    long frameFlood(int port, int total) {
        int connections = 40;
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            boolean limited = i % 4 == 3;
            conns.add(Conn.open(port, "key=" + (limited ? TestServer.LIMITED_KEY : TestServer.KEY) + "&clientId=h" + i, i % 2 == 1));
        }
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Conn c = conns.get(i);
            int n = total / connections + (i < total % connections ? 1 : 0);
            runs.add(CompletableFuture.runAsync(() -> c.flood(n)));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        long answered = 0;
        for (Conn c : conns) {
            Await.until(() -> c.answers.sum() >= c.sent.get(), "answers to every frame on a connection");
            answered += c.answers.sum();
            c.ws.abort();
        }
        return answered;
    }

    /** Frames the server must refuse with a fatal ERROR (40000-class or 80013), one fresh connection each. */
    long fatalFrames(int port, int total, ExecutorService pool) {
        List<byte[]> msgpack = List.of(
                HexFormat.of().parseHex("81a464617461c67ffffff0"),        // the issue's 11-byte bin32 frame
                HexFormat.of().parseHex("81a464617461c97ffffff001"),      // ext32
                HexFormat.of().parseHex("81a464617461db7ffffff0"),        // str32
                HexFormat.of().parseHex("81a464617461dd7ffffff0"),        // array32
                HexFormat.of().parseHex("81a464617461df7ffffff0"),        // map32
                deepMsgpack());
        List<String> json = List.of("{\"action\":12}", "{\"action\":16}", "{\"action\":10}",
                "{\"action\":15,\"channel\":\"c\",\"msgSerial\":9007199254740000,\"messages\":[{\"data\":\"x\"}]}",
                "{\"action\":15,\"channel\":\"c\",\"msgSerial\":-1,\"messages\":[{\"data\":\"x\"}]}",
                "{\"action\":15,\"channel\":", "[1,2,3]", "{\"action\":0}{\"action\":0}",
                "{\"action\":15,\"messages\":[{\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}]}");
        Semaphore inFlight = new Semaphore(32);
        LongAdder answered = new LongAdder();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int k = i;
            inFlight.acquireUninterruptibly();
            all.add(CompletableFuture.runAsync(() -> {
                boolean mp = k % 2 == 0;
                Conn c = null;
                try {
                    c = Conn.open(port, "key=" + TestServer.LIMITED_KEY, mp);
                    if (mp) {
                        c.sendBinary(msgpack.get(k / 2 % msgpack.size()));
                    } else {
                        c.sendText(json.get(k / 2 % json.size()));
                    }
                    JsonNode err = c.awaitError();
                    int code = err.path("error").path("code").asInt();
                    if ((code >= 40000 && code < 40100) || code == 80013) {
                        answered.increment();
                    }
                } catch (RuntimeException unanswered) {
                    // counted by its absence
                } finally {
                    if (c != null) {
                        c.ws.abort();
                    }
                    inFlight.release();
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return answered.sum();
    }

    static byte[] deepMsgpack() {
        byte[] head = HexFormat.of().parseHex("82a6616374696f6e0fa6706172616d73");
        byte[] b = new byte[head.length + 20_000];
        System.arraycopy(head, 0, b, 0, head.length);
        for (int i = head.length; i < b.length; i++) {
            b[i] = (byte) 0x91;
        }
        return b;
    }

    /** Hostile REST requests; each answered below 500, errors with an Ably code. Returns the answered count. */
    long restFlood(int port, int total, Report r, ExecutorService pool) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(TestServer.KEY.getBytes(StandardCharsets.UTF_8));
        byte[] bomb = HexFormat.of().parseHex("81a464617461c67ffffff0");
        List<IntFunction<HttpRequest>> kinds = List.of(
                i -> post(port, "/channels/rest-" + i + "/messages", basic, "application/json", "{\"name\":\"a\",\"data\":\"x\"} trailing"),
                i -> post(port, "/channels/rest/messages", basic, "application/json", "{\"data\":\"{nope\",\"encoding\":\"json\"}"),
                i -> post(port, "/channels/rest/messages", basic, "application/json", "{\"data\":\"x\",\"encoding\":\"zip\"}"),
                i -> HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/channels/rest/messages"))
                        .header("Authorization", basic).header("Content-Type", "application/x-msgpack")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(),
                i -> post(port, "/channels/a%00b/messages", basic, "application/json", "{\"data\":\"x\"}"),
                i -> post(port, "/channels/rest/messages", "Basic " + Base64.getEncoder().encodeToString("testapp.all:wrong".getBytes()), "application/json", "{}"),
                i -> post(port, "/channels/rest/messages", "Bearer a.b.c", "application/json", "{}"),
                i -> get(port, "/channels/x/presence?limit=-5", basic),
                i -> get(port, "/channels?by=nothing", basic),
                i -> post(port, "/keys/testapp.all/requestToken", null, "application/json", "{\"keyName\":\"testapp.all\",\"nonce\":\"0123456789abcdef\",\"mac\":\"x\",\"timestamp\":1}"),
                i -> get(port, "/no/such/thing", basic));
        Semaphore inFlight = new Semaphore(32);
        LongAdder answered = new LongAdder();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int k = i;
            inFlight.acquireUninterruptibly();
            CompletableFuture<Void> one;
            if (k % 10 == 9) {
                // What no HTTP client sends: bad percent-encoding in the path, written by hand.
                one = CompletableFuture.runAsync(() -> {
                    String path = List.of("/channels/%ZZ", "/channels/%", "/chat/v4/rooms/%ZZ/occupancy").get(k % 3);
                    String res = rawHttp(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    int status = res.length() >= 12 ? Integer.parseInt(res.substring(9, 12)) : -1;
                    tally(r, status, res.contains("X-Ably-Errorcode: 4"), answered);
                }, pool);
            } else {
                HttpRequest req = kinds.get(k % kinds.size()).apply(k);
                one = http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
                        .thenAccept(res -> tally(r, res.statusCode(),
                                res.headers().firstValue("X-Ably-Errorcode").filter(c -> c.startsWith("4")).isPresent(), answered));
            }
            all.add(one.whenComplete((v, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return answered.sum();
    }

    static void tally(Report r, int status, boolean hasAblyCode, LongAdder answered) {
        if (status < 0) {
            return;
        }
        answered.increment();
        r.statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        if (status >= 500) {
            r.serverErrors.incrementAndGet();
        } else if (status >= 400 && !hasAblyCode) {
            r.errorsWithoutAblyCode.incrementAndGet();
        }
    }

    static HttpRequest post(int port, String path, String auth, String type, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b.build();
    }

    static HttpRequest get(int port, String path, String auth) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", auth).GET().build();
    }

    static String rawHttp(int port, String request) {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Sockets that never finish a request: silent ones, and ones trickling header lines. Past the per-address bound
     * they are refused at once (42910); the rest are closed by the server at the request timeout (3 s here).
     */
    void heldOpenSockets(int port, Report r) throws Exception {
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < IDLE_SOCKETS; i++) {
            Socket s = new Socket("localhost", port);
            s.setSoTimeout(30_000);
            idle.add(s);
        }
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_SOCKETS; i++) {
            Socket s = new Socket("localhost", port);
            s.setSoTimeout(30_000);
            slow.add(s);
            trickle(s, "GET /?key=" + TestServer.KEY + " HTTP/1.1\r\nHost: x\r\n");
        }
        AtomicBoolean trickling = new AtomicBoolean(true);
        Thread trickler = new Thread(() -> {
            while (trickling.get()) {
                for (Socket s : slow) {
                    trickle(s, "X-Slow: 1\r\n");
                }
                try {
                    Thread.sleep(500); // the pace of the slow client is the input itself
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        trickler.start();
        List<Socket> all = new ArrayList<>(idle);
        all.addAll(slow);
        ExecutorService readers = Executors.newFixedThreadPool(64);
        List<CompletableFuture<String>> ends = new ArrayList<>();
        for (Socket s : all) {
            ends.add(CompletableFuture.supplyAsync(() -> readToEnd(s), readers));
        }
        try {
            for (CompletableFuture<String> end : ends) {
                String got = end.get(60, TimeUnit.SECONDS);
                if (got.contains("42910")) {
                    r.socketsRefused++;
                } else if (got.isEmpty()) {
                    r.socketsClosed++;
                }
            }
        } finally {
            trickling.set(false);
            trickler.join();
            readers.shutdownNow();
            for (Socket s : all) {
                s.close();
            }
        }
    }

    static void trickle(Socket s, String text) {
        try {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException closed) {
            // the server closed it: what is expected at the timeout
        }
    }

    /** What the server sent before closing; "timeout" if it never closed. */
    static String readToEnd(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return ""; // reset: closed too
        }
    }

    // ---------------------------------------------------------------- memory

    static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /**
     * VmRSS after a full GC, once it has settled: compilations the attack queued finish, and the JVM frees their
     * arenas and returns freed native memory (TrimNativeHeapInterval) within a few seconds. Settled means three
     * readings a second apart within 1% of each other (at most 30 s).
     */
    static long rssAfterGc(long pid) throws Exception {
        List<Long> readings = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            jcmd(pid, "GC.run");
            readings.add(rss(pid));
            int n = readings.size();
            if (n >= 3) {
                long max = Math.max(readings.get(n - 1), Math.max(readings.get(n - 2), readings.get(n - 3)));
                long min = Math.min(readings.get(n - 1), Math.min(readings.get(n - 2), readings.get(n - 3)));
                if (max - min <= max / 100 || System.nanoTime() > deadline) {
                    return readings.get(n - 1);
                }
            }
            Thread.sleep(1000); // readings a second apart: the settling is the JVM's own timers
        }
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1 < 0 ? 0 : (int) Math.ceil(p * sorted.size()) - 1));
    }

    // ---------------------------------------------------------------- clients

    /** A well-behaved client beside the attack: a HEARTBEAT with an id every 20 ms, its round trip timed. */
    static final class Probe implements Runnable {
        final Conn conn;
        final List<Long> rtts = new CopyOnWriteArrayList<>();
        /** {sent at, round trip} in nanoseconds, for the round trip by phase of the attack. */
        final List<long[]> timed = new CopyOnWriteArrayList<>();
        final Map<String, Long> pending = new ConcurrentHashMap<>();
        volatile boolean running = true;

        Probe(int port) {
            // A client of its own (its own selector thread), so the probe times the server, not the attackers' client.
            conn = Conn.open(HttpClient.newHttpClient(), port, "key=" + TestServer.KEY + "&clientId=probe", false);
            conn.onFrame = f -> {
                Long sentAt = pending.remove(f.path("id").asText(""));
                if (f.path("action").asInt() == 0 && sentAt != null) {
                    long rtt = System.nanoTime() - sentAt;
                    rtts.add(rtt);
                    timed.add(new long[] {sentAt, rtt});
                }
            };
        }

        @Override
        public void run() {
            long n = 0;
            while (running) {
                String id = "p" + n++;
                pending.put(id, System.nanoTime());
                conn.sendText("{\"action\":0,\"id\":\"" + id + "\"}");
                try {
                    Thread.sleep(20); // the probe's pace
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            running = false;
            Await.until(pending::isEmpty, "the probe's last answers");
        }

        int unanswered() {
            return pending.size();
        }

        List<Long> sortedRtts() {
            List<Long> s = new ArrayList<>(rtts);
            Collections.sort(s);
            return s;
        }

        /** p50 / p99 in ms of the probes sent within [from, to). */
        String during(long from, long to) {
            List<Long> s = new ArrayList<>();
            for (long[] t : timed) {
                if (t[0] >= from && t[0] < to) {
                    s.add(t[1]);
                }
            }
            Collections.sort(s);
            return String.format("p50 %.1f / p99 %.1f ms (%d probes)", pct(s, 0.5) / 1e6, pct(s, 0.99) / 1e6, s.size());
        }
    }

    /** A raw WebSocket that counts what comes back. */
    static final class Conn implements WebSocket.Listener {
        static final HttpClient CLIENT = HttpClient.newHttpClient();
        static final ObjectMapper MSGPACK = new ObjectMapper(new org.msgpack.jackson.dataformat.MessagePackFactory());
        final boolean msgpack;
        final LongAdder answers = new LongAdder();
        final AtomicLong sent = new AtomicLong();
        final CompletableFuture<JsonNode> connected = new CompletableFuture<>();
        final CompletableFuture<JsonNode> error = new CompletableFuture<>();
        volatile java.util.function.Consumer<JsonNode> onFrame = f -> { };
        WebSocket ws;
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        private final Semaphore window = new Semaphore(200);

        Conn(boolean msgpack) {
            this.msgpack = msgpack;
        }

        static Conn open(int port, String query, boolean msgpack) {
            return open(CLIENT, port, query, msgpack);
        }

        static Conn open(HttpClient client, int port, String query, boolean msgpack) {
            Conn c = new Conn(msgpack);
            c.ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create("ws://localhost:" + port + "/?format=" + (msgpack ? "msgpack" : "json") + "&" + query), c)
                    .join();
            Await.get(c.connected);
            return c;
        }

        @Override
        public void onOpen(WebSocket w) {
            w.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    frame(JSON.readTree(text.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.write(b, 0, b.length);
            if (last) {
                try {
                    frame(MSGPACK.readTree(binary.toByteArray()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                binary = new java.io.ByteArrayOutputStream();
            }
            return null;
        }

        private void frame(JsonNode f) {
            int action = f.path("action").asInt(-1);
            if (action == 4) {
                connected.complete(f);
                return;
            }
            if (action == 9) {
                error.complete(f);
            }
            // Answers: ACK/NACK (one per msgSerial here), ERROR, HEARTBEAT replies, DETACHED.
            if (action == 1 || action == 2 || action == 9 || action == 13 || (action == 0 && f.has("id"))) {
                answers.increment();
                window.release();
            }
            onFrame.accept(f);
        }

        @Override
        public void onError(WebSocket w, Throwable e) {
            connected.completeExceptionally(e);
            error.completeExceptionally(e);
        }

        JsonNode awaitError() {
            return Await.get(error);
        }

        void sendText(String s) {
            synchronized (this) {
                ws.sendText(s, true).join();
            }
        }

        void sendBinary(byte[] b) {
            synchronized (this) {
                ws.sendBinary(ByteBuffer.wrap(b), true).join();
            }
        }

        void send(String json) {
            if (msgpack) {
                try {
                    sendBinary(MSGPACK.writeValueAsBytes(JSON.readTree(json)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                sendText(json);
            }
        }

        /** n frames, each answered exactly once: NACKed or ACKed operations, channel ERRORs, echoes, DETACHED. */
        void flood(int n) {
            long serial = 0;
            for (int i = 0; i < n; i++) {
                window.acquireUninterruptibly();
                sent.incrementAndGet();
                switch (i % 10) {
                    case 0 -> send("{\"action\":15,\"channel\":\"f\",\"msgSerial\":" + serial++ + ",\"messages\":[{\"data\":\"{nope\",\"encoding\":\"json\"}]}");
                    case 1 -> send("{\"action\":15,\"channel\":\"f\",\"msgSerial\":" + serial++ + ",\"messages\":[{\"data\":\"x\",\"encoding\":\"rot13\"}]}");
                    case 2 -> send("{\"action\":14,\"channel\":\"f\",\"msgSerial\":" + serial++ + ",\"presence\":[{\"action\":2}]}");
                    case 3 -> send("{\"action\":10,\"channel\":\"bad\\u0000name\"}");
                    case 4 -> send("{\"action\":10,\"channel\":\":bad\"}");
                    case 5 -> send("{\"action\":15,\"channel\":\"f\",\"msgSerial\":" + Math.max(0, serial - 1) + ",\"messages\":[{\"data\":\"dup\"}]}");
                    case 6 -> send("{\"action\":15,\"channel\":\"f-" + (i % 50) + "\",\"msgSerial\":" + serial++ + ",\"messages\":[{\"name\":\"ok\",\"data\":{\"n\":" + i + "}}]}");
                    case 7 -> send("{\"action\":12,\"channel\":\"never-attached\"}");
                    case 8 -> send("{\"action\":15,\"channel\":\"f\",\"msgSerial\":" + serial++ + ",\"messages\":[]}");
                    default -> send("{\"action\":0,\"id\":\"h" + i + "\"}");
                }
            }
        }
    }
}
