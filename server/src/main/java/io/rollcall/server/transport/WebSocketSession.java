package io.rollcall.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket: decodes inbound frames for the core and writes the core's outbound messages. Outbound
 * messages from any thread go through a bounded queue that the socket's event loop drains, writing every
 * queued frame and flushing once, so a burst costs one syscall rather than one per message. When the socket
 * cannot keep up and the queue reaches its bound, the client is disconnected (it resumes, and learns of the
 * gap with 80020) rather than letting memory grow.
 */
final class WebSocketSession extends ChannelInboundHandlerAdapter implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);
    private static final EncodedMessage HEARTBEAT = new EncodedMessage(new ProtocolMessage(Action.HEARTBEAT));
    /** Queue marker: close the socket after what precedes it. */
    private static final EncodedMessage CLOSE = new EncodedMessage(new ProtocolMessage(Action.CLOSED));

    private final Node node;
    private final WireFormat format;
    private final ProtocolCodec codec;
    private final Channel socket;
    private final int queueLimit;
    private final Queue<EncodedMessage> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private volatile Connection connection;
    /** Whole read-idle intervals already answered with a ping since the last read; event loop only. */
    private int silentIntervals;
    /** System.nanoTime() of the last frame read and of the last flush of queued messages; event loop only. */
    long lastRead;
    long lastWrite;
    /** This loop's {@link IdleSweep} and the links of its list while the sweep watches us; event loop only. */
    IdleSweep idleSweep;
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
    }

    void bind(Connection connection) {
        this.connection = connection;
    }

    @Override
    public WireFormat format() {
        return format;
    }

    @Override
    public Outcome send(EncodedMessage message) {
        if (closing.get()) {
            return Outcome.CLOSED;
        }
        if (queued.incrementAndGet() > queueLimit) {
            queued.decrementAndGet();
            slowConsumer();
            return Outcome.FULL;
        }
        queue.offer(message);
        if (closing.get() && queue.remove(message)) {
            // Retired while we queued: the caller routes the message elsewhere.
            queued.decrementAndGet();
            return Outcome.CLOSED;
        }
        scheduleDrain();
        return Outcome.QUEUED;
    }

    @Override
    public java.util.List<EncodedMessage> retire() {
        return retire(null);
    }

    @Override
    public java.util.List<EncodedMessage> retire(EncodedMessage farewell) {
        closing.set(true);
        java.util.List<EncodedMessage> unsent = new java.util.ArrayList<>();
        for (EncodedMessage m; (m = queue.poll()) != null; ) {
            if (m != CLOSE) {
                unsent.add(m);
            }
        }
        queued.set(0);
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
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        queued.addAndGet(2);
        queue.offer(message);
        queue.offer(CLOSE);
        scheduleDrain();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        queued.incrementAndGet();
        queue.offer(CLOSE);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            socket.eventLoop().execute(drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        int written = 0;
        Connection c = connection;
        AppMeters meters = c == null ? null : c.app().meters();
        long oldestPublish = 0;
        EncodedMessage m;
        while (socket.isWritable() || closing.get()) {
            m = queue.poll();
            if (m == null) {
                break;
            }
            queued.decrementAndGet();
            if (m == CLOSE) {
                closeNormally();
                queue.clear();
                return;
            }
            socket.write(frame(m), new TrackedWrite(socket, this, m).addListener(RESCUE));
            written++;
            if (oldestPublish == 0) {
                ProtocolMessage pm = m.message();
                if (pm.action == Action.MESSAGE && pm.timestamp > 0) {
                    oldestPublish = pm.timestamp;
                }
            }
        }
        if (written > 0) {
            socket.flush();
            lastWrite = System.nanoTime();
            if (meters != null) {
                meters.messagesOut(written);
                if (oldestPublish > 0) {
                    // One latency sample per flush, its oldest message (the batch's worst): a histogram record
                    // costs ~0.2 µs, too much for every delivery of a fan-out.
                    meters.delivered(System.currentTimeMillis() - oldestPublish);
                }
            }
        }
        // Not writable: channelWritabilityChanged resumes the drain once the socket catches up.
    }

    /** A write that remembers its message, so a write the socket refuses can be handed back for a resume. */
    private static final class TrackedWrite extends io.netty.channel.DefaultChannelPromise {
        final WebSocketSession session;
        final EncodedMessage message;

        TrackedWrite(Channel channel, WebSocketSession session, EncodedMessage message) {
            super(channel);
            this.session = session;
            this.message = message;
        }
    }

    /** Messages whose write failed (they never reached the kernel), in order; event loop only; null until one fails. */
    private java.util.ArrayDeque<EncodedMessage> failedWrites;

    private static final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<Void>> RESCUE = f -> {
        if (!f.isSuccess()) {
            TrackedWrite w = (TrackedWrite) f;
            if (w.session.failedWrites == null) {
                w.session.failedWrites = new java.util.ArrayDeque<>();
            }
            w.session.failedWrites.add(w.message);
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
        if (!closing.compareAndSet(false, true)) {
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
            queue.clear();
            queued.set(0);
            ProtocolMessage pm = ProtocolMessage.error(Action.DISCONNECTED, null,
                    new ErrorInfo(80020, 400, "Continuity loss: the client did not keep up with its messages"));
            socket.write(frame(new EncodedMessage(pm)));
            closeNormally();
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !queue.isEmpty()) {
            scheduleDrain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
     * pinged, and three in a row mean the peer is gone.
     */
    void idleCheck(long now, long interval, long period) {
        if (now - lastWrite >= interval - period) {
            lastWrite = now;
            send(HEARTBEAT);
        }
        long silent = (now - lastRead) / interval;
        if (silent > silentIntervals) {
            silentIntervals = (int) Math.min(silent, 3);
            if (silentIntervals >= 3) {
                log.debug("socket of connection {} silent too long; dropping it", connection == null ? "?" : connection.id());
                socket.close();
            } else {
                socket.writeAndFlush(new PingWebSocketFrame());
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing.set(true);
        if (idleSweep != null) {
            idleSweep.remove(this);
        }
        // Whatever never reached the socket is handed back, so a resume can still deliver it: writes the
        // socket refused first (they are older), then what was still queued.
        java.util.List<EncodedMessage> unsent = new java.util.ArrayList<>();
        if (failedWrites != null) {
            unsent.addAll(failedWrites);
            failedWrites = null;
        }
        for (EncodedMessage m; (m = queue.poll()) != null; ) {
            if (m != CLOSE) {
                unsent.add(m);
            }
        }
        Connection c = connection;
        if (c != null) {
            node.transportClosed(c, this, unsent);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
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
