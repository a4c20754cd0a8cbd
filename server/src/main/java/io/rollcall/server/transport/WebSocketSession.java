package io.rollcall.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.rollcall.server.core.Connection;
import io.rollcall.server.core.Node;
import io.rollcall.server.core.Transport;
import io.rollcall.server.metrics.AppMeters;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ErrorInfo;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket: decodes inbound frames for the core and writes the core's outbound messages. Outbound
 * messages from any thread go through a bounded queue that the socket's own event loop drains (see
 * {@link OutboundTurn}: one task per loop per turn, not one per message), every queued message framed into one
 * buffer and one write, so a burst costs one syscall and no allocation per message. When the socket cannot keep
 * up and the queue reaches its bound, the client is disconnected (it resumes, and learns of the gap with 80020)
 * rather than letting memory grow.
 *
 * <p>The session is its queue ({@link OutboundQueue} is its superclass, its fields first in the object): a
 * fan-out reaches one object per socket to queue a message, not a session and then its queue. Netty's side of
 * the socket is {@link #handler()}.
 */
final class WebSocketSession extends OutboundQueue implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);
    private static final EncodedMessage HEARTBEAT = new EncodedMessage(new ProtocolMessage(Action.HEARTBEAT));
    /** Queue marker: close the socket after what precedes it. */
    private static final EncodedMessage CLOSE = new EncodedMessage(new ProtocolMessage(Action.CLOSED));
    /** One write carries at most about this many bytes, so writability is checked between writes. */
    private static final int WRITE_BYTES = 64 * 1024;

    private final Node node;
    private final WireFormat format;
    private final ProtocolCodec codec;
    private final Channel socket;
    private final int queueLimit;
    private final OutboundTurn turn;
    /** The queue (this) has many producers and one consumer at a time: the consumer side (drain, sweep, reclaim) holds {@link #consumer}. */
    private final Object consumer = new Object();
    private final ChannelInboundHandler handler = new Handler();
    /** A flag in the session itself (no object of its own to reach on every delivery): 0 or 1. */
    private volatile int closing;
    private static final AtomicIntegerFieldUpdater<WebSocketSession> CLOSING =
            AtomicIntegerFieldUpdater.newUpdater(WebSocketSession.class, "closing");
    private volatile Connection connection;
    /** The connection's app's meters, kept here: the turn reads them for every socket it drains. */
    private volatile AppMeters meters;
    /** Guarded by {@link #consumer}: the queue was swept for a retire or the socket's end; what follows is late. */
    private boolean swept;
    /** Guarded by {@link #consumer}: messages queued after the sweep, until their senders reclaim them. */
    private java.util.Set<EncodedMessage> late;
    /** Whole read-idle intervals already answered with a ping since the last read; event loop only. */
    private int silentIntervals;
    /** System.nanoTime() of the last frame read and of the last flush of queued messages; event loop only. */
    long lastRead;
    long lastWrite;
    /** The publish time of the oldest message the last drain wrote (0: none); event loop only. */
    long drainedSince;
    /** This loop's {@link IdleSweep} and the links of its list while the sweep watches us; event loop only. */
    IdleSweep idleSweep;
    /** The step of each interval on which this session may be pinged (see {@link IdleSweep}); event loop only. */
    int idleSlot;
    WebSocketSession idlePrev;
    WebSocketSession idleNext;
    /** Our Close frame is out; touched only on the event loop. */
    private boolean closeSent;
    private static final long CLOSE_GRACE_MS = 1000;

    WebSocketSession(Node node, WireFormat format, Channel socket) {
        this.node = node;
        this.format = format;
        this.codec = ProtocolCodec.of(format);
        this.socket = socket;
        this.queueLimit = node.limits().outboundQueueMessages();
        this.turn = OutboundTurn.of(socket.eventLoop());
    }

    void bind(Connection connection) {
        this.meters = connection.app().meters();
        this.connection = connection;
    }

    @Override
    public WireFormat format() {
        return format;
    }

    @Override
    public Outcome send(EncodedMessage message) {
        if (closing != 0) {
            return Outcome.CLOSED;
        }
        int queued = offer(message, queueLimit);
        if (queued == FULL) {
            slowConsumer();
            return Outcome.FULL;
        }
        // Before the closing check: a drain now due is owed whatever follows (a close marker may be behind it).
        if (queued == SCHEDULE) {
            turn.join(this);
        }
        if (closing != 0) {
            return reclaim(message);
        }
        return Outcome.QUEUED;
    }

    /**
     * The socket started closing while we queued. If its sweep ran before our message was in, the message is
     * still in the queue (or taken by another late sender): CLOSED, the caller routes it elsewhere. Otherwise
     * the sweep handed it back with the rest (or will): QUEUED.
     */
    private Outcome reclaim(EncodedMessage message) {
        synchronized (consumer) {
            if (!swept) {
                return Outcome.QUEUED;
            }
            for (EncodedMessage m; (m = poll()) != null; ) {
                if (late == null) {
                    late = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                }
                late.add(m);
            }
            return late != null && late.remove(message) ? Outcome.CLOSED : Outcome.QUEUED;
        }
    }

    /** Takes what is queued (consumer side): later messages are late, left to their senders. */
    private java.util.List<EncodedMessage> sweep() {
        java.util.List<EncodedMessage> unsent = new java.util.ArrayList<>();
        synchronized (consumer) {
            swept = true;
            for (EncodedMessage m; (m = poll()) != null; ) {
                if (m != CLOSE) {
                    unsent.add(m);
                }
            }
        }
        return unsent;
    }

    @Override
    public java.util.List<EncodedMessage> retire() {
        return retire(null);
    }

    @Override
    public java.util.List<EncodedMessage> retire(EncodedMessage farewell) {
        closing = 1;
        java.util.List<EncodedMessage> unsent = sweep();
        socket.eventLoop().execute(() -> {
            if (farewell != null && !closeSent) {
                socket.write(frame(farewell));
            }
            closeNormally();
        });
        return unsent;
    }

    @Override
    public void sendAndClose(EncodedMessage message) {
        if (!CLOSING.compareAndSet(this, 0, 1)) {
            return;
        }
        int a = offer(message);
        int b = offer(CLOSE);
        if (a == SCHEDULE || b == SCHEDULE) {
            turn.join(this);
        }
    }

    @Override
    public void close() {
        if (!CLOSING.compareAndSet(this, 0, 1)) {
            return;
        }
        if (offer(CLOSE) == SCHEDULE) {
            turn.join(this);
        }
    }

    /**
     * On the event loop (the turn's task): writes what is queued, as few writes as the bound allows. Returns how
     * many messages it wrote, the oldest one's publish time left in {@link #drainedSince} (0: none).
     */
    int drain() {
        int written = 0;
        long oldestPublish = 0;
        boolean close = false;
        boolean stalled = false;
        while (!close) {
            if (!socket.isWritable() && closing == 0) {
                stalled = true;
                break;
            }
            // The write's own messages, freshly allocated: a long-lived buffer per socket would take a young
            // reference per delivery, and with it a GC card mark and its refinement.
            EncodedMessage[] batch;
            synchronized (consumer) {
                if (swept) {
                    break;
                }
                batch = take(WRITE_BYTES, format);
            }
            if (batch == null) {
                break;
            }
            int n = batch.length;
            int bytes = 0;
            for (int i = 0; i < n; i++) {
                EncodedMessage m = batch[i];
                if (m == CLOSE) {
                    close = true;
                    n = i;
                    synchronized (consumer) {
                        clear();
                    }
                    break;
                }
                bytes += WebSocketFrames.size(m.bytes(format).length);
            }
            if (n == 0) {
                break;
            }
            // Sized once for the whole write: growing it as frames are added would copy them again.
            ByteBuf out = socket.alloc().directBuffer(bytes, bytes);
            boolean text = format == WireFormat.JSON;
            for (int i = 0; i < n; i++) {
                EncodedMessage m = batch[i];
                WebSocketFrames.write(out, m.bytes(format), text);
                if (oldestPublish == 0) {
                    ProtocolMessage pm = m.message();
                    if (pm.action == Action.MESSAGE && pm.timestamp > 0) {
                        oldestPublish = pm.timestamp;
                    }
                }
            }
            // One promise per write, not per message: it settles every message of the write at once.
            socket.write(out, new TrackedWrite(socket, this, batch, n).addListener(SETTLE));
            written += n;
        }
        if (stalled) {
            // Not writable: channelWritabilityChanged asks for the next drain once the socket catches up.
            unschedule();
        }
        if (written > 0) {
            socket.flush();
            lastWrite = System.nanoTime();
        }
        drainedSince = oldestPublish;
        if (close) {
            closeNormally();
        }
        return written;
    }

    /** The app whose meters count this socket's messages; null before the connection is bound. */
    AppMeters meters() {
        return meters;
    }

    /**
     * A write of {@code count} messages, the first {@code count} of {@code messages}. Progressive, so that if
     * the socket dies midway the messages whose frames were written whole are told from those that were not.
     */
    private static final class TrackedWrite extends io.netty.channel.DefaultChannelProgressivePromise {
        final WebSocketSession session;
        final EncodedMessage[] messages;
        final int count;
        /** Bytes of this write that reached the kernel. */
        long progress;

        TrackedWrite(Channel channel, WebSocketSession session, EncodedMessage[] messages, int count) {
            super(channel);
            this.session = session;
            this.messages = messages;
            this.count = count;
        }

        @Override
        public boolean tryProgress(long progress, long total) {
            this.progress = progress;
            return super.tryProgress(progress, total);
        }
    }

    /** Messages whose write failed (they never reached the kernel), in order; event loop only. */
    private final java.util.ArrayDeque<EncodedMessage> failedWrites = new java.util.ArrayDeque<>();

    /**
     * Writes settle in order. A failed one's messages, from the first whose frame did not reach the kernel
     * whole, are kept to be handed back for a resume.
     */
    private static final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<Void>> SETTLE = f -> {
        if (f.isSuccess()) {
            return;
        }
        TrackedWrite w = (TrackedWrite) f;
        WebSocketSession s = w.session;
        long end = 0;
        for (int i = 0; i < w.count; i++) {
            EncodedMessage m = w.messages[i];
            end += WebSocketFrames.size(m.bytes(s.format).length);
            if (end > w.progress) {
                s.failedWrites.add(m);
            }
        }
    };

    private WebSocketFrame frame(EncodedMessage m) {
        ByteBuf payload = Unpooled.wrappedBuffer(m.bytes(format));
        return format == WireFormat.JSON ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload);
    }

    /**
     * Close code 1000: the SDKs treat it as a recoverable disconnection (other codes can mean FAILED). The
     * socket closes when the peer answers with its Close, or after a short grace: closing at once, with input
     * still unread, makes the kernel reset the connection and the peer lose the frames just sent (the ERROR).
     */
    private void closeNormally() {
        if (closeSent) {
            return;
        }
        closeSent = true;
        socket.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        socket.eventLoop().schedule(() -> {
            socket.close();
        }, CLOSE_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void slowConsumer() {
        if (!CLOSING.compareAndSet(this, 0, 1)) {
            return;
        }
        node.telemetry().error(80020);
        Connection c = connection;
        if (c != null) {
            c.app().meters().slowConsumer();
            log.atInfo().addKeyValue("connectionId", c.id()).addKeyValue("appId", c.app().id())
                    .log("slow consumer: outbound queue full ({} messages); disconnecting with 80020", queueLimit);
        }
        socket.eventLoop().execute(() -> {
            synchronized (consumer) {
                clear();
            }
            ProtocolMessage pm = ProtocolMessage.error(Action.DISCONNECTED, null,
                    new ErrorInfo(80020, 400, "Continuity loss: the client did not keep up with its messages"));
            socket.write(frame(new EncodedMessage(pm)));
            closeNormally();
        });
    }

    /** The socket in Netty's pipeline: its events come to this session. */
    ChannelInboundHandler handler() {
        return handler;
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanged(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            read(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(ctx, cause);
        }
    }

    private void writabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && requestDrain()) {
            turn.join(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        silentIntervals = 0;
        try {
            if (msg instanceof CloseWebSocketFrame) {
                if (!closeSent) {
                    // The client closed its socket without a CLOSE message: an abrupt disconnect. Answer, then go.
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
            } else if (closeSent) {
                return; // closing: nothing more is read
            } else if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                // Decode by the connection's format, not the frame type: java sends JSON in binary frames.
                onFrame(ByteBufUtil.getBytes(((WebSocketFrame) msg).content()));
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(byte[] bytes) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        ProtocolMessage pm;
        try {
            pm = codec.decode(bytes);
        } catch (AblyException e) {
            node.inbound().fatal(c, e.error());
            return;
        }
        try {
            node.inbound().receive(c, pm);
        } catch (AblyException e) {
            node.inbound().fatal(c, e.error());
        } catch (RuntimeException e) {
            log.atError().addKeyValue("connectionId", c.id()).addKeyValue("channel", pm.channel).setCause(e)
                    .log("internal error handling {}", pm);
            node.inbound().fatal(c, new ErrorInfo(50000, 500, "Internal error"));
        }
    }

    /**
     * The sweep's look at this socket (event loop). Clients drop a socket that is silent for maxIdleInterval
     * (+10 s), and java cannot see WS pings: after most of an interval without a write, a protocol HEARTBEAT.
     * Clients need not send anything, but every SDK answers a WS ping: each whole interval without a read is
     * pinged (on this session's step of the interval, {@code idleSlot}), and three in a row mean the peer is gone.
     */
    void idleCheck(long now, long interval, long period, int step) {
        if (now - lastWrite >= interval - period) {
            lastWrite = now;
            send(HEARTBEAT);
        }
        long silent = (now - lastRead) / interval;
        if (silent > silentIntervals) {
            if (silent >= 3) {
                silentIntervals = 3;
                log.debug("socket of connection {} silent too long; dropping it", connection == null ? "?" : connection.id());
                socket.close();
            } else if (step == idleSlot) {
                silentIntervals = (int) silent;
                socket.writeAndFlush(new PingWebSocketFrame());
            }
        }
    }

    private void inactive(ChannelHandlerContext ctx) {
        closing = 1;
        if (idleSweep != null) {
            idleSweep.remove(this);
        }
        // Whatever never reached the socket is handed back, so a resume can still deliver it: writes the
        // socket refused first (they are older), then what was still queued. Writes still pending fail at the
        // close, before this, so their messages are among the refused.
        java.util.List<EncodedMessage> unsent = new java.util.ArrayList<>(failedWrites);
        failedWrites.clear();
        unsent.addAll(sweep());
        Connection c = connection;
        if (c != null) {
            node.transportClosed(c, this, unsent);
        }
        ctx.fireChannelInactive();
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        Connection c = connection;
        if (c != null && isTooBig(cause)) {
            node.inbound().fatal(c, new ErrorInfo(40009, 400, "Frame exceeds maxFrameSize of "
                    + node.limits().maxFrameSize() + " bytes"));
            return;
        }
        if (c != null && cause instanceof io.netty.handler.codec.CorruptedFrameException) {
            node.inbound().fatal(c, new ErrorInfo(40000, 400, "Malformed WebSocket frame: " + cause.getMessage()));
            return;
        }
        log.debug("socket error on connection {}", c == null ? "?" : c.id(), cause);
        ctx.close();
    }

    private static boolean isTooBig(Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            return true;
        }
        return cause instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException w
                && w.closeStatus() == io.netty.handler.codec.http.websocketx.WebSocketCloseStatus.MESSAGE_TOO_BIG;
    }
}
