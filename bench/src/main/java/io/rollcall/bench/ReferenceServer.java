package io.rollcall.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeKey;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.ConnectionDetails;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.PresenceMessage;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The practical limit of the machine for the same workload: a bare Netty WebSocket server that rebroadcasts
 * each MESSAGE or PRESENCE frame it receives, as received (pre-encoded bytes shared by every recipient), to
 * every socket attached to the channel, with flushes consolidated so queued frames go out in one write. It
 * speaks just enough of the protocol for the load client (CONNECTED, ATTACHED, ACK, a SYNC of stored presence)
 * and does nothing else: no auth, no validation, no presence set, no occupancy.
 */
public final class ReferenceServer implements AutoCloseable {
    private static final AttributeKey<WireFormat> FORMAT = AttributeKey.valueOf("format");

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<String, List<Channel>> channels = new ConcurrentHashMap<>();
    /** Attachments holding PRESENCE_SUBSCRIBE: presence frames go only to them, as in Rollcall. */
    private final Map<String, List<Channel>> presenceSubscribers = new ConcurrentHashMap<>();
    private final Map<String, List<PresenceMessage>> presence = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private Channel server;

    public ReferenceServer(int eventLoops) {
        boolean epoll = Epoll.isAvailable();
        boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        workers = epoll ? new EpollEventLoopGroup(eventLoops) : new NioEventLoopGroup(eventLoops);
    }

    public int start(int port) throws InterruptedException {
        server = new ServerBootstrap().group(boss, workers)
                .channel(boss instanceof EpollEventLoopGroup ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(65536));
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler("/", null, false, 16 << 20, false, true));
                        ch.pipeline().addLast(new Handler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
                WireFormat f = hs.requestUri().contains("format=json") ? WireFormat.JSON : WireFormat.MSGPACK;
                ctx.channel().attr(FORMAT).set(f);
                ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
                pm.connectionId = "ref" + ids.incrementAndGet();
                pm.connectionDetails = new ConnectionDetails("*", pm.connectionId + "!k", 65536, 524288, 1_000_000, 120000, 15000, "reference");
                send(ctx.channel(), pm);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            WireFormat f = ctx.channel().attr(FORMAT).get();
            byte[] bytes = ByteBufUtil.getBytes(frame.content());
            ProtocolMessage pm = ProtocolCodec.of(f).decode(bytes);
            switch (pm.action) {
                case Action.HEARTBEAT -> send(ctx.channel(), pm);
                case Action.ATTACH -> attach(ctx.channel(), pm);
                case Action.MESSAGE, Action.PRESENCE -> {
                    ProtocolMessage ack = new ProtocolMessage(Action.ACK);
                    ack.msgSerial = pm.msgSerial;
                    ack.count = 1;
                    send(ctx.channel(), ack);
                    if (pm.action == Action.PRESENCE) {
                        presence.computeIfAbsent(pm.channel, c -> new CopyOnWriteArrayList<>()).addAll(pm.presence);
                    }
                    broadcast(pm.action == Action.PRESENCE ? presenceSubscribers : channels, pm.channel, bytes, f);
                }
                case Action.CLOSE -> {
                    send(ctx.channel(), new ProtocolMessage(Action.CLOSED));
                    ctx.close();
                }
                default -> { }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (List<Channel> members : channels.values()) {
                members.remove(ctx.channel());
            }
            for (List<Channel> members : presenceSubscribers.values()) {
                members.remove(ctx.channel());
            }
        }
    }

    private void attach(Channel ch, ProtocolMessage pm) {
        channels.computeIfAbsent(pm.channel, c -> new CopyOnWriteArrayList<>()).add(ch);
        int modes = (pm.flags & Flags.MODE_ALL) == 0 ? Flags.MODE_DEFAULT : pm.flags & Flags.MODE_ALL;
        if (Flags.has(modes, Flags.PRESENCE_SUBSCRIBE)) {
            presenceSubscribers.computeIfAbsent(pm.channel, c -> new CopyOnWriteArrayList<>()).add(ch);
        }
        List<PresenceMessage> members = Flags.has(modes, Flags.PRESENCE_SUBSCRIBE) ? presence.getOrDefault(pm.channel, List.of()) : List.of();
        ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, pm.channel);
        attached.flags = modes;
        attached.flags |= members.isEmpty() ? 0 : Flags.HAS_PRESENCE;
        attached.channelSerial = "0";
        send(ch, attached);
        if (!members.isEmpty()) {
            List<PresenceMessage> all = new ArrayList<>(members);
            for (int from = 0; from < all.size(); from += 500) {
                int to = Math.min(all.size(), from + 500);
                ProtocolMessage sync = ProtocolMessage.of(Action.SYNC, pm.channel);
                sync.presence = new ArrayList<>(all.subList(from, to));
                sync.channelSerial = "ref:" + (to < all.size() ? Integer.toString(to) : "");
                send(ch, sync);
            }
        }
    }

    /** The received bytes, once, shared by every recipient of the same format. */
    private void broadcast(Map<String, List<Channel>> audience, String channel, byte[] bytes, WireFormat format) {
        List<Channel> members = audience.get(channel);
        if (members == null) {
            return;
        }
        ByteBuf shared = Unpooled.wrappedBuffer(bytes);
        for (Channel ch : members) {
            if (ch.attr(FORMAT).get() != format) {
                continue;
            }
            WebSocketFrame frame = format == WireFormat.JSON
                    ? new TextWebSocketFrame(shared.retainedDuplicate()) : new BinaryWebSocketFrame(shared.retainedDuplicate());
            ch.writeAndFlush(frame, ch.voidPromise());
        }
        shared.release();
    }

    private static void send(Channel ch, ProtocolMessage pm) {
        WireFormat f = ch.attr(FORMAT).get();
        ByteBuf b = Unpooled.wrappedBuffer(ProtocolCodec.of(f).encode(pm));
        ch.writeAndFlush(f == WireFormat.JSON ? new TextWebSocketFrame(b) : new BinaryWebSocketFrame(b), ch.voidPromise());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        workers.shutdownGracefully(0, 500, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 500, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** {@code ReferenceServer <port> [eventLoops]}: run it as its own process, as the bench does. */
    public static void main(String[] args) throws Exception {
        ReferenceServer s = new ReferenceServer(args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors());
        int port = s.start(Integer.parseInt(args[0]));
        System.out.println("reference: listening on 127.0.0.1:" + port);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        Thread.currentThread().join();
    }
}
