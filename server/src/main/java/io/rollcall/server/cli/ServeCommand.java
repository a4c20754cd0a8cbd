package io.rollcall.server.cli;

import io.rollcall.server.Rollcall;
import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.config.ConfigFile;
import io.rollcall.server.config.LimitSetting;
import io.rollcall.server.config.Limits;
import io.rollcall.server.config.ServerConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollcall serve}: runs the server. Settings come from flags, then environment variables, then the
 * config file, then defaults. Ctrl-C shuts down gracefully.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Rollcall server.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1; env ROLLCALL_HOST).")
    String host;

    @Option(names = "--port", description = "Port to listen on (default 8080; 0 picks a free one; env ROLLCALL_PORT).")
    Integer port;

    @Option(names = "--key", description = "API key appId.keyId:secret, optionally ={capability JSON}. Repeatable. "
            + "Env ROLLCALL_KEYS: keys separated by whitespace.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--config", description = "YAML or JSON config file (env ROLLCALL_CONFIG).")
    Path config;

    @Option(names = "--engine", description = "memory (default: one node) or redis (many nodes; env ROLLCALL_ENGINE).")
    String engine;

    @Option(names = "--redis", description = "Redis URI for the redis engine: redis://[:password@]host:port[/db], "
            + "rediss:// for TLS, redis-sentinel://host:port/db#master (env ROLLCALL_REDIS). Implies --engine redis.")
    String redis;

    @Option(names = "--no-sandbox", description = "Do not serve the sandbox API (POST /apps, DELETE /apps/{id}).")
    boolean noSandbox;
    @Option(names = "--console", negatable = true, description = "Serve the operator console at /console "
            + "(default on; --no-console turns it off; env ROLLCALL_CONSOLE=false; config console: false).")
    Boolean console;

    @Option(names = "--log-level", description = "TRACE, DEBUG, INFO (default), WARN, ERROR or OFF (env ROLLCALL_LOG_LEVEL; config logLevel).")
    String logLevel;

    @Option(names = "--log-format", description = "text (default) or json: one JSON object per line (env ROLLCALL_LOG_FORMAT; config logFormat).")
    String logFormat;

    @Option(names = "--limit", description = "Override a limit: name=value, e.g. presenceGrace=15000. Repeatable.")
    Map<String, String> limitOverrides = Map.of();

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        boolean generated;
        try {
            ServerConfig.Builder b = settings(System.getenv());
            generated = b.keys().isEmpty();
            if (generated) {
                b.keys(List.of(ApiKey.parse(generateKey())));
            }
            cfg = b.build();
            LogSettings.validate(b.logLevel(), b.logFormat());
            LogSettings.apply(b.logLevel(), b.logFormat());
        } catch (IllegalArgumentException | io.rollcall.server.protocol.AblyException | java.io.IOException e) {
            System.err.println("rollcall: invalid configuration: " + e.getMessage());
            return 2;
        }
        quietLeakDetector();
        Rollcall server;
        try {
            server = Rollcall.start(cfg);
        } catch (IllegalStateException e) {
            System.err.println("rollcall: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("rollcall: shutting down; clients are told to reconnect");
            System.out.flush();
            server.close();
            stopped.countDown();
        }, "rollcall-shutdown"));
        System.out.println("rollcall: listening on " + cfg.host() + ":" + server.port());
        switch (cfg.sandbox().access(cfg.host())) {
            case OPEN -> System.out.println("rollcall: sandbox API open at POST /apps (loopback only; --no-sandbox turns it off)");
            case ADMIN_SECRET -> System.out.println("rollcall: sandbox API at POST /apps, with the admin secret");
            case OFF -> { }
        }
        if (cfg.console()) {
            System.out.println("rollcall: operator console at http://" + cfg.host() + ":" + server.port() + "/console");
        }
        if (generated) {
            ApiKey k = cfg.keys().get(0);
            System.out.println("rollcall: no key given; generated API key " + k.keyName() + ":" + k.secret());
        }
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Defaults, then the config file, then environment variables, then flags. */
    ServerConfig.Builder settings(Map<String, String> env) throws java.io.IOException {
        ServerConfig.Builder b = ServerConfig.builder();
        Path file = config != null ? config : (env.get("ROLLCALL_CONFIG") != null ? Path.of(env.get("ROLLCALL_CONFIG")) : null);
        if (file != null) {
            ConfigFile.read(file, b);
        }
        if (env.get("ROLLCALL_HOST") != null) b.host(env.get("ROLLCALL_HOST"));
        if (env.get("ROLLCALL_PORT") != null) b.port(Integer.parseInt(env.get("ROLLCALL_PORT")));
        List<String> keySpecs = new ArrayList<>(keys);
        if (keySpecs.isEmpty() && env.get("ROLLCALL_KEYS") != null) {
            for (String k : env.get("ROLLCALL_KEYS").trim().split("\\s+")) {
                if (!k.isEmpty()) keySpecs.add(k);
            }
        }
        if (!keySpecs.isEmpty()) {
            List<ApiKey> apiKeys = new ArrayList<>();
            for (String k : keySpecs) {
                apiKeys.add(parseKey(k));
            }
            b.keys(apiKeys);
        }
        if (env.get("ROLLCALL_REDIS") != null) b.redisUri(env.get("ROLLCALL_REDIS")).engine("redis");
        if (env.get("ROLLCALL_ENGINE") != null) b.engine(env.get("ROLLCALL_ENGINE"));
        if (env.get("ROLLCALL_SANDBOX_SECRET") != null) {
            b.sandbox(new io.rollcall.server.config.SandboxSettings(b.sandbox().enabled(), env.get("ROLLCALL_SANDBOX_SECRET")));
        }
        if (noSandbox) {
            b.sandbox(new io.rollcall.server.config.SandboxSettings(false, b.sandbox().adminSecret()));
        }
        if (env.get("ROLLCALL_CONSOLE") != null) b.console(Boolean.parseBoolean(env.get("ROLLCALL_CONSOLE").trim()));
        if (env.get("ROLLCALL_LOG_LEVEL") != null) b.logLevel(env.get("ROLLCALL_LOG_LEVEL"));
        if (env.get("ROLLCALL_LOG_FORMAT") != null) b.logFormat(env.get("ROLLCALL_LOG_FORMAT"));
        if (console != null) b.console(console);
        if (logLevel != null) b.logLevel(logLevel);
        if (logFormat != null) b.logFormat(logFormat);
        if (host != null) b.host(host);
        if (port != null) b.port(port);
        if (redis != null) b.redisUri(redis).engine("redis");
        if (engine != null) b.engine(engine);
        Limits.Builder lb = b.limits().toBuilder();
        for (Map.Entry<String, String> e : limitOverrides.entrySet()) {
            LimitSetting.apply(lb, e.getKey(), e.getValue(), "--limit");
        }
        return b.limits(lb.build());
    }

    /** {@code appId.keyId:secret} or {@code appId.keyId:secret={"channel":["op"]}}. */
    static ApiKey parseKey(String spec) {
        int cap = spec.indexOf("={");
        return cap < 0 ? ApiKey.parse(spec) : ApiKey.parse(spec.substring(0, cap), spec.substring(cap + 1));
    }

    private static String generateKey() {
        SecureRandom r = new SecureRandom();
        byte[] id = new byte[4];
        byte[] secret = new byte[24];
        r.nextBytes(id);
        r.nextBytes(secret);
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        return "local." + enc.encodeToString(id).replace('-', 'a').replace('_', 'b') + ":" + enc.encodeToString(secret);
    }

    /**
     * Netty's leak detector, unless asked for (-Dio.netty.leakDetection.level=...), is off in a served node: it
     * wraps one buffer in 128 for tracking, and that rare second type at the hot write path's call sites makes
     * the JIT deoptimize and recompile them for as long as the node runs (the slow fan-out rounds of bench/README).
     * The test suites keep it on, where leaks are looked for. The bench's reference server calls it too.
     */
    public static void quietLeakDetector() {
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }
}
