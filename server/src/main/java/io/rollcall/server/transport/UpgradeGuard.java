package io.rollcall.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards a socket until it becomes a WebSocket (or for its whole life as a REST connection): each HTTP request
 * must arrive complete within {@code httpRequestTimeout} of the connection opening or of the previous response,
 * so idle sockets, slow headers and slow bodies are closed; and connections that have not upgraded are bounded
 * in total and per remote address, so held-open sockets cannot use up the process's file descriptors. Removed
 * from the pipeline once the upgrade is done: a WebSocket is then watched by its own heartbeats.
 */
final class UpgradeGuard extends ChannelDuplexHandler {
    /** The counts of connections not yet upgraded, shared by every socket of one server. */
    static final class Pending {
        private final int max;
        private final int maxPerAddress;
        private final AtomicInteger total = new AtomicInteger();
        /** Per remote address; each entry changed atomically (compute), removed at zero. */
        private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

        Pending(int max, int maxPerAddress) {
            this.max = max;
            this.maxPerAddress = maxPerAddress;
        }

        /** Counts the connection in, or says no (and counts nothing) past either bound. */
        boolean admit(InetAddress address) {
            if (total.incrementAndGet() > max) {
                total.decrementAndGet();
                return false;
            }
            if (address != null) {
                boolean[] admitted = {false};
                byAddress.compute(address, (a, n) -> {
                    int count = n == null ? 0 : n;
                    admitted[0] = count < maxPerAddress;
                    return admitted[0] ? count + 1 : n;
                });
                if (!admitted[0]) {
                    total.decrementAndGet();
                    return false;
                }
            }
            return true;
        }

        void release(InetAddress address) {
            total.decrementAndGet();
            if (address != null) {
                byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    private final Pending pending;
    private final long timeoutMs;
    private InetAddress address;
    private boolean counted;
    private ScheduledFuture<?> timer;

    UpgradeGuard(Pending pending, long timeoutMs) {
        this.pending = pending;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            address = a.getAddress();
        }
        if (!pending.admit(address)) {
            refuse(ctx);
            return;
        }
        counted = true;
        arm(ctx);
        ctx.fireChannelActive();
    }

    private static void refuse(ChannelHandlerContext ctx) {
        byte[] body = ("{\"error\":{\"code\":42910,\"statusCode\":429,\"message\":\"Rate limit exceeded: too many "
                + "connections waiting to complete a request or WebSocket upgrade; retry later\"}}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS,
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().set("X-Ably-Errorcode", 42910);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            // Complete: the server takes it from here, however long the answer takes.
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse && counted) {
            // The next request (keep-alive) has the same time to arrive.
            arm(ctx);
        }
        ctx.write(msg, promise);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            ctx.close();
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Upgraded (the endpoint removes this handler) or closed: the connection no longer counts as pending. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
        if (counted) {
            counted = false;
            pending.release(address);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
