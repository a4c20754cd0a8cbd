package io.rollcall.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import redis.embedded.RedisServer;

/** A throwaway redis-server on a free loopback port, without persistence, for a multi-node scenario. */
final class ScratchRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    ScratchRedis() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
    }

    /** The {@code serve} arguments that put a node on this Redis. */
    List<String> serveArgs() {
        return List.of("--redis", "redis://127.0.0.1:" + port);
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
