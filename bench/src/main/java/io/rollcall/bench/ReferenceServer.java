package io.rollcall.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.util.internal.PlatformDependent;
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
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The practical limit of the machine for the same workload: a bare Netty WebSocket server that fans each MESSAGE
 * or PRESENCE it receives out to every socket attached to the channel. It speaks just enough of the protocol for
 * the load client (CONNECTED, ATTACHED, ACK, a SYNC of stored presence) and does nothing else: no auth, no
 * validation, no presence set, no occupancy, no history, no resume.
 *
 * <p>{@link Mode#LIMIT} (the default) is the fastest fan-out we know how to write on Netty, the bar for Rollcall:
 * each message is stamped as Rollcall stamps it (id, connectionId, clientId, timestamp, channelSerial; ids and serials
 * as long as Rollcall's, so that a delivery is as many bytes) and encoded once per
 * wire format, already framed; a recipient's frames go into its own lock-free queue (no allocation per delivery)
 * and the socket's own event loop drains it, every frame queued since the last turn merged into one buffer and
 * one write. A loop is woken at most once per turn, whatever the number of its sockets with frames waiting.
 *
 * <p>{@link Mode#BROADCAST} is the earlier reference, kept so the two can be compared in one run: the received
 * bytes, as received, written and flushed to each recipient from the publisher's thread (one cross-thread task
 * per recipient on another loop), with flushes consolidated.
 */
public final class ReferenceServer implements AutoCloseable {
    public enum Mode { LIMIT, BROADCAST }

    private static final AttributeKey<WireFormat> FORMAT = AttributeKey.valueOf("format");
    private static final AttributeKey<Outlet> OUTLET = AttributeKey.valueOf("outlet");

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<String, List<Channel>> channels = new ConcurrentHashMap<>();
    /** Attachments holding PRESENCE_SUBSCRIBE: presence frames go only to them, as in Rollcall. */
    private final Map<String, List<Channel>> presenceSubscribers = new ConcurrentHashMap<>();
    private final Map<String, List<PresenceMessage>> presence = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Mode mode;
    /** LIMIT: each channel's recipients and serial. */
    private final Map<String, Audience> audiences = new ConcurrentHashMap<>();
    private final Map<String, Audience> presenceAudiences = new ConcurrentHashMap<>();
    private final Map<EventLoop, Turn> turns = new ConcurrentHashMap<>();
    private Channel server;

    public ReferenceServer(int eventLoops) {
        this(eventLoops, Mode.LIMIT);
    }

    public ReferenceServer(int eventLoops, Mode mode) {
        this.mode = mode;
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
                        if (mode == Mode.BROADCAST) {
                            ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
                        }
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
                // As long as Rollcall's (a 6-character node prefix and 10 random characters): the ids are in
                // every message delivered, so their length is part of the workload.
                pm.connectionId = String.format(java.util.Locale.ROOT, "refsrv%010d", ids.incrementAndGet());
                Channel ch = ctx.channel();
                ch.attr(OUTLET).set(new Outlet(ch, f, pm.connectionId, clientId(hs.requestUri()),
                        turns.computeIfAbsent(ch.eventLoop(), Turn::new)));
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
                        if (mode == Mode.LIMIT) {
                            stampPresence(pm, ctx.channel().attr(OUTLET).get());
                        }
                        presence.computeIfAbsent(pm.channel, c -> new CopyOnWriteArrayList<>()).addAll(pm.presence);
                    }
                    if (mode == Mode.LIMIT) {
                        Audience a = (pm.action == Action.PRESENCE ? presenceAudiences : audiences).get(pm.channel);
                        if (a != null) {
                            a.fanOut(pm, ctx.channel().attr(OUTLET).get());
                        }
                        return;
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
            Outlet o = ctx.channel().attr(OUTLET).get();
            if (o != null) {
                for (Audience a : audiences.values()) {
                    a.members.remove(o);
                }
                for (Audience a : presenceAudiences.values()) {
                    a.members.remove(o);
                }
            }
        }
    }

    private void attach(Channel ch, ProtocolMessage pm) {
        int modes = (pm.flags & Flags.MODE_ALL) == 0 ? Flags.MODE_DEFAULT : pm.flags & Flags.MODE_ALL;
        if (mode == Mode.LIMIT) {
            // Added before ATTACHED is written: a frame fanned out meanwhile is drained on this loop, after it.
            Outlet o = ch.attr(OUTLET).get();
            audiences.computeIfAbsent(pm.channel, c -> new Audience()).members.add(o);
            if (Flags.has(modes, Flags.PRESENCE_SUBSCRIBE)) {
                presenceAudiences.computeIfAbsent(pm.channel, c -> new Audience()).members.add(o);
            }
        } else {
            channels.computeIfAbsent(pm.channel, c -> new CopyOnWriteArrayList<>()).add(ch);
            if (Flags.has(modes, Flags.PRESENCE_SUBSCRIBE)) {
                presenceSubscribers.computeIfAbsent(pm.channel, c -> new CopyOnWriteArrayList<>()).add(ch);
            }
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

    /**
     * LIMIT: the fields Rollcall gives each member (the SDKs need them: RTP2b compares ids), so that presence
     * frames and SYNC pages are as large as Rollcall's.
     */
    private static void stampPresence(ProtocolMessage pm, Outlet from) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < pm.presence.size(); i++) {
            PresenceMessage p = pm.presence.get(i);
            p.id = from.connectionId + ':' + pm.msgSerial + ':' + i;
            p.connectionId = from.connectionId;
            if (p.clientId == null) {
                p.clientId = from.clientId;
            }
            p.timestamp = now;
        }
    }

    /** LIMIT: a channel's recipients, and its serial. */
    private static final class Audience {
        final List<Outlet> members = new CopyOnWriteArrayList<>();
        private long serial;

        /**
         * Stamps the message as Rollcall does (the same fields, of the same lengths: the publisher's clientId, and a
         * channelSerial with a history position after the ':'), encodes and frames it once per format, queues it
         * for each member.
         */
        synchronized void fanOut(ProtocolMessage pm, Outlet publisher) {
            long now = System.currentTimeMillis();
            String from = publisher.connectionId;
            pm.connectionId = from;
            pm.timestamp = now;
            pm.channelSerial = Long.toString(++serial, 36) + ':' + now + "-0";
            pm.id = from + ':' + pm.msgSerial;
            pm.msgSerial = null;
            if (pm.messages != null) {
                for (int i = 0; i < pm.messages.size(); i++) {
                    io.rollcall.server.protocol.Message m = pm.messages.get(i);
                    m.id = pm.id + ':' + i;
                    m.connectionId = from;
                    m.clientId = publisher.clientId;
                    m.timestamp = now;
                }
            }
            byte[] json = null;
            byte[] msgpack = null;
            for (Outlet o : members) {
                byte[] frame;
                if (o.format == WireFormat.JSON) {
                    frame = json != null ? json : (json = framed(ProtocolCodec.of(WireFormat.JSON).encode(pm), true));
                } else {
                    frame = msgpack != null ? msgpack : (msgpack = framed(ProtocolCodec.of(WireFormat.MSGPACK).encode(pm), false));
                }
                o.offer(frame);
            }
        }
    }

    /** The request's clientId query parameter, or null. */
    static String clientId(String uri) {
        return new io.netty.handler.codec.http.QueryStringDecoder(uri).parameters().getOrDefault("clientId", List.of())
                .stream().findFirst().orElse(null);
    }

    /** A complete unmasked WebSocket frame (server to client): FIN, opcode, length, payload. */
    static byte[] framed(byte[] payload, boolean text) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] f = new byte[header + n];
        f[0] = (byte) (0x80 | (text ? 0x1 : 0x2));
        if (n < 126) {
            f[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            f[1] = 126;
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
        } else {
            f[1] = 127;
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, f, header, n);
        return f;
    }

    /**
     * LIMIT: one socket's outbound side. Any thread queues frames; the socket's own loop writes them, all that
     * are queued at once in one buffer.
     */
    private static final class Outlet {
        final Channel ch;
        final WireFormat format;
        final String connectionId;
        /** From the query's clientId, as Rollcall identifies a key's client (null: none). */
        final String clientId;
        final Turn turn;
        final Queue<byte[]> frames = PlatformDependent.newMpscQueue(16, 1 << 20);
        final AtomicBoolean scheduled = new AtomicBoolean();

        Outlet(Channel ch, WireFormat format, String connectionId, String clientId, Turn turn) {
            this.ch = ch;
            this.format = format;
            this.connectionId = connectionId;
            this.clientId = clientId;
            this.turn = turn;
        }

        void offer(byte[] frame) {
            frames.offer(frame);
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                turn.ready(this);
            }
        }

        /** On the socket's loop. */
        void drain(List<byte[]> scratch) {
            scheduled.set(false);
            int size = 0;
            for (byte[] f; (f = frames.poll()) != null; ) {
                scratch.add(f);
                size += f.length;
            }
            if (scratch.isEmpty()) {
                return;
            }
            ByteBuf out = ch.alloc().directBuffer(size);
            for (int i = 0; i < scratch.size(); i++) {
                out.writeBytes(scratch.get(i));
            }
            scratch.clear();
            // Raw bytes pass the WebSocket encoder untouched: they are frames already.
            ch.writeAndFlush(out, ch.voidPromise());
        }
    }

    /** LIMIT: one event loop's sockets with frames waiting; the loop runs one task for all of them. */
    private static final class Turn implements Runnable {
        final EventLoop loop;
        final Queue<Outlet> ready = PlatformDependent.newMpscQueue();
        final AtomicBoolean scheduled = new AtomicBoolean();
        final List<byte[]> scratch = new ArrayList<>();

        Turn(EventLoop loop) {
            this.loop = loop;
        }

        void ready(Outlet o) {
            ready.offer(o);
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                loop.execute(this);
            }
        }

        @Override
        public void run() {
            scheduled.set(false);
            for (Outlet o; (o = ready.poll()) != null; ) {
                o.drain(scratch);
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

    /** {@code ReferenceServer <port> [eventLoops] [limit|broadcast]}: run it as its own process, as the bench does. */
    public static void main(String[] args) throws Exception {
        int loops = args.length > 1 && Integer.parseInt(args[1]) > 0 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Mode mode = args.length > 2 ? Mode.valueOf(args[2].toUpperCase(java.util.Locale.ROOT)) : Mode.LIMIT;
        // As a served Rollcall node runs: without Netty's sampling leak detector unless asked for.
        io.rollcall.server.cli.ServeCommand.quietLeakDetector();
        ReferenceServer s = new ReferenceServer(loops, mode);
        int port = s.start(Integer.parseInt(args[0]));
        System.out.println("reference: listening on 127.0.0.1:" + port);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        Thread.currentThread().join();
    }
}
