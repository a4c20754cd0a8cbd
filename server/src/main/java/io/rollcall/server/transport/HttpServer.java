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
    private Channel serverChannel;

    public HttpServer(Node node, int eventLoops) {
        this.node = node;
        boolean epoll = Epoll.isAvailable();
        this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        this.workers = epoll ? new EpollEventLoopGroup(eventLoops) : new NioEventLoopGroup(eventLoops);
    }

    public InetSocketAddress bind(String host, int port) throws InterruptedException {
        RealtimeEndpoint realtime = new RealtimeEndpoint(node);
        RestApi rest = new RestApi(node);
        UpgradeGuard.Pending pending = new UpgradeGuard.Pending(node.limits().maxPendingConnections(),
                node.limits().maxPendingConnectionsPerAddress());
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
                        initPipeline(ch.pipeline(), node, realtime, rest, pending);
                    }
                });
        serverChannel = b.bind(host, port).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The handlers of a new socket, in order: HTTP parsing, bounded bodies, the pre-upgrade guard, dispatch. */
    static void initPipeline(io.netty.channel.ChannelPipeline p, Node node, RealtimeEndpoint realtime, RestApi rest,
                             UpgradeGuard.Pending pending) {
        p.addLast(new HttpServerCodec(8192, 16 * 1024, 64 * 1024));
        p.addLast(new BoundedBodyAggregator(node.limits().maxRestBodySize()));
        p.addLast(new UpgradeGuard(pending, node.limits().httpRequestTimeout().toMillis()));
        p.addLast(new HttpDispatcher(node, realtime, rest));
    }

    /** Stops accepting, lets the core say goodbye to every client, then stops the event loops. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        node.shutdown();
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
