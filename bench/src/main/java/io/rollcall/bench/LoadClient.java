package io.rollcall.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A lean load client: thousands of WebSocket connections on a couple of Netty event loops, speaking the wire
 * protocol directly (no SDK). Each connection hands decoded ProtocolMessages to a callback on its loop.
 */
public final class LoadClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    public LoadClient(int eventLoops) {
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(eventLoops) : new NioEventLoopGroup(eventLoops);
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** One connection; completes once CONNECTED has arrived. */
    public CompletableFuture<WireConnection> connect(int port, String query, WireFormat format, Consumer<ProtocolMessage> onMessage) {
        CompletableFuture<WireConnection> connected = new CompletableFuture<>();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/?format=" + (format == WireFormat.JSON ? "json" : "msgpack") + "&v=6&" + query);
        WireConnection conn = new WireConnection(format);
        new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Set before any frame can arrive, so CONNECTED always finds the connection usable.
                        conn.channel = ch;
                        ch.pipeline().addLast(new FlushConsolidationHandler(64, true));
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(65536));
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri).version(WebSocketVersion.V13).customHeaders(new DefaultHttpHeaders())
                                .maxFramePayloadLength(16 << 20).handleCloseFrames(true).build()));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<WebSocketFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
                                    return;
                                }
                                ProtocolMessage pm = ProtocolCodec.of(format).decode(ByteBufUtil.getBytes(frame.content()));
                                if (pm.action == io.rollcall.server.protocol.Action.CONNECTED && !connected.isDone()) {
                                    conn.connectionId = pm.connectionId;
                                    connected.complete(conn);
                                }
                                onMessage.accept(pm);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                connected.completeExceptionally(cause);
                                ctx.close();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                connected.completeExceptionally(new IllegalStateException("socket closed before CONNECTED"));
                            }
                        });
                    }
                })
                .connect("127.0.0.1", port).addListener(f -> {
                    if (!f.isSuccess()) {
                        connected.completeExceptionally(f.cause());
                    }
                });
        return connected;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1000, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** One socket of the load client. Send methods are safe from any thread. */
    public static final class WireConnection {
        private final WireFormat format;
        volatile Channel channel;
        volatile String connectionId;
        private long msgSerial;

        WireConnection(WireFormat format) {
            this.format = format;
        }

        public String connectionId() {
            return connectionId;
        }

        public void send(ProtocolMessage pm) {
            byte[] b = ProtocolCodec.of(format).encode(pm);
            channel.writeAndFlush(format == WireFormat.JSON ? new TextWebSocketFrame(Unpooled.wrappedBuffer(b))
                    : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b)), channel.voidPromise());
        }

        /** Sends a sequenced message (MESSAGE or PRESENCE), numbering it with this connection's msgSerial. */
        public synchronized long sendSequenced(ProtocolMessage pm) {
            pm.msgSerial = msgSerial++;
            send(pm);
            return pm.msgSerial;
        }

        public void close() {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
