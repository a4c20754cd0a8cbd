package io.rollcall.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server process on a free loopback port (the binary ships in a test dependency, so nothing is
 * installed by hand). Persistence is off: a restart comes back empty, as a crashed cache does.
 */
public final class RedisProcess implements AutoCloseable {
    private final int port;
    private final String[] settings;
    private RedisServer server;

    private RedisProcess(int port, String... settings) {
        this.port = port;
        this.settings = settings;
    }

    public static RedisProcess start() {
        return start(new String[0]);
    }

    /** With extra redis.conf lines, e.g. {@code requirepass s3cret}. */
    public static RedisProcess start(String... settings) {
        RedisProcess r = new RedisProcess(freePort(), settings);
        r.up();
        return r;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again) on the same port. */
    public synchronized void up() {
        try {
            var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no");
            for (String s : settings) {
                builder.setting(s);
            }
            server = builder.build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the process: every client loses its connections, and the data is gone. */
    public synchronized void down() {
        try {
            if (server != null) {
                server.stop();
                server = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        down();
    }
}
