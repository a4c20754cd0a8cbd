package io.rollcall.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.rollcall.server.core.Node;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The Netty server: one boss thread, one event loop per core, epoll where available. */
public final class HttpServer implements AutoCloseable {
    private final Node node;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** Null when the sandbox API is not served. */
    private io.rollcall.server.sandbox.Sandbox sandbox;
    private io.rollcall.server.config.SandboxSettings sandboxSettings;
    private final boolean console;
    private final java.util.function.Function<String, java.util.List<?>> webhookStats;
    private Channel serverChannel;
    private ConsoleApi consoleApi;

    public HttpServer(Node node, int eventLoops) {
        this(node, eventLoops, false, app -> java.util.List.of());
    }

    /**
     * @param console whether to serve the operator console at /console
     * @param webhookStats an app's webhook rules with their figures, for the console
     */
    public HttpServer(Node node, int eventLoops, boolean console, java.util.function.Function<String, java.util.List<?>> webhookStats) {
        this.node = node;
        node.fanOutScope(OutboundTurn.SCOPE);
        this.console = console;
        this.webhookStats = webhookStats;
        boolean epoll = Epoll.isAvailable();
        this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        this.workers = epoll ? new EpollEventLoopGroup(eventLoops) : new NioEventLoopGroup(eventLoops);
        int i = 0;
        for (io.netty.util.concurrent.EventExecutor loop : workers) {
            if (loop instanceof io.netty.util.concurrent.SingleThreadEventExecutor st) {
                // A growing backlog means the loop cannot keep up: the first sign of an overloaded node.
                io.micrometer.core.instrument.Gauge.builder("rollcall_event_loop_pending_tasks", st,
                                io.netty.util.concurrent.SingleThreadEventExecutor::pendingTasks)
                        .description("Tasks waiting to run on a network event loop")
                        .tag("loop", Integer.toString(i++)).register(node.telemetry().registry());
            }
        }
    }

    /** Serves the sandbox API ({@code POST /apps}) as the settings say; call before {@link #bind}. */
    public HttpServer sandbox(io.rollcall.server.sandbox.Sandbox sandbox, io.rollcall.server.config.SandboxSettings settings) {
        this.sandbox = sandbox;
        this.sandboxSettings = settings;
        return this;
    }

    public InetSocketAddress bind(String host, int port) throws InterruptedException {
        RealtimeEndpoint realtime = new RealtimeEndpoint(node);
        RestApi rest = new RestApi(node);
        SandboxEndpoint apps = sandbox == null ? null : new SandboxEndpoint(node, sandbox, sandboxSettings, host);
        UpgradeGuard.Pending pending = new UpgradeGuard.Pending(node.limits().maxPendingConnections(),
                node.limits().maxPendingConnectionsPerAddress());
        ConsolePage page = console ? new ConsolePage() : null;
        ConsoleApi consoleApi = console ? new ConsoleApi(node, rest, webhookStats) : null;
        this.consoleApi = consoleApi;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(boss instanceof EpollEventLoopGroup ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Writability flips at 1 MiB queued in Netty: the slow-consumer signal for a socket.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initPipeline(ch.pipeline(), node, realtime, rest, page, consoleApi, pending, apps);
                    }
                });
        serverChannel = b.bind(host, port).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The handlers of a new socket, in order: HTTP parsing, bounded bodies, the pre-upgrade guard, dispatch. */
    static void initPipeline(io.netty.channel.ChannelPipeline p, Node node, RealtimeEndpoint realtime, RestApi rest,
                             ConsolePage page, ConsoleApi consoleApi, UpgradeGuard.Pending pending) {
        initPipeline(p, node, realtime, rest, page, consoleApi, pending, null);
    }

    /** As above, with the sandbox API when {@code apps} is not null. */
    static void initPipeline(io.netty.channel.ChannelPipeline p, Node node, RealtimeEndpoint realtime, RestApi rest,
                             ConsolePage page, ConsoleApi consoleApi, UpgradeGuard.Pending pending, SandboxEndpoint apps) {
        p.addLast(new HttpServerCodec(8192, 16 * 1024, 64 * 1024));
        p.addLast(new BoundedBodyAggregator(node.limits().maxRestBodySize()));
        p.addLast(new UpgradeGuard(pending, node.limits().httpRequestTimeout().toMillis()));
        p.addLast(new HttpDispatcher(node, realtime, rest, page, consoleApi, apps));
    }

    /** Stops accepting, lets the core say goodbye to every client, then stops the event loops. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        node.shutdown();
        if (consoleApi != null) {
            consoleApi.close();
        }
        workers.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Answers an oversized REST body with Ably's 40009 rather than Netty's bare 413. */
    private static final class BoundedBodyAggregator extends HttpObjectAggregator {
        BoundedBodyAggregator(int max) {
            super(max);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ctx.writeAndFlush(tooLarge()).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }

        private FullHttpResponse tooLarge() {
            FullHttpResponse res = ablyError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, 40009,
                    "Request body exceeds " + maxContentLength() + " bytes");
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
            return res;
        }

        /** Netty's own answers to an {@code Expect} header (417, or 413 before the body) in Ably's form. */
        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, io.netty.channel.ChannelPipeline pipeline) {
            Object netty = super.newContinueResponse(start, maxContentLength, pipeline);
            if (netty instanceof FullHttpResponse r && r.status().code() >= 400) {
                int status = r.status().code();
                r.release();
                return status == 413 ? tooLarge() : ablyError(r.status(), 40000, "Unsupported Expect header");
            }
            return netty;
        }

        private static FullHttpResponse ablyError(HttpResponseStatus status, int code, String message) {
            byte[] body = ("{\"error\":{\"code\":" + code + ",\"statusCode\":" + status.code() + ",\"message\":\""
                    + message + "\"}}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            res.headers().set("X-Ably-Errorcode", code);
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            return res;
        }
    }
}
