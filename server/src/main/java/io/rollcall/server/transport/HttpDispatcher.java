package io.rollcall.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.rollcall.server.core.Node;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.ErrorInfo;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.protocol.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler for every HTTP request: a WebSocket upgrade at "/" goes to the realtime endpoint; anything
 * else is REST, answered in the format the client accepts, with Ably's error body and headers and CORS.
 */
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
    private static final String CORS_ALLOW_HEADERS =
            "authorization,x-ably-version,ably-agent,x-ably-clientid,content-type,accept,x-ably-lib";
    private static final String CORS_EXPOSE_HEADERS =
            "Link,X-Ably-Errorcode,X-Ably-Errormessage,X-Ably-Serverid";

    private final Node node;
    private final RealtimeEndpoint realtime;
    private final RestApi rest;
    /** Null when the console is switched off. */
    private final ConsolePage console;
    private final ConsoleApi consoleApi;
    /** Null when the sandbox API is not served. */
    private final SandboxEndpoint apps;

    HttpDispatcher(Node node, RealtimeEndpoint realtime, RestApi rest, ConsolePage console, ConsoleApi consoleApi,
                   SandboxEndpoint apps) {
        this.node = node;
        this.realtime = realtime;
        this.rest = rest;
        this.console = console;
        this.consoleApi = consoleApi;
        this.apps = apps;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            write(ctx, req, error(WireFormat.JSON, new ErrorInfo(40000, 400, "Malformed HTTP request")));
            return;
        }
        String path;
        try {
            io.netty.handler.codec.http.QueryStringDecoder qs = new io.netty.handler.codec.http.QueryStringDecoder(req.uri());
            path = qs.path();
            qs.parameters();
        } catch (IllegalArgumentException e) {
            // Bad percent-encoding (%ZZ, a lone %): the client's error, answered like any other.
            node.telemetry().error(40000);
            write(ctx, req, error(WireFormat.JSON, new ErrorInfo(40000, 400, "Malformed request URI: " + e.getMessage())));
            return;
        }
        HttpHeaders h = req.headers();
        if (h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            realtime.upgrade(ctx, req);
            return;
        }
        if (req.method().equals(HttpMethod.OPTIONS)) {
            write(ctx, req, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
            return;
        }
        if (req.method().equals(HttpMethod.GET) && path.equals("/health")) {
            write(ctx, req, text(HttpResponseStatus.OK, "application/json", "{\"status\":\"ok\"}"));
            return;
        }
        if (req.method().equals(HttpMethod.GET) && path.equals("/metrics")) {
            String scrape = node.telemetry().scrape();
            write(ctx, req, text(HttpResponseStatus.OK, "text/plain; version=0.0.4", scrape == null ? "" : scrape));
            return;
        }
        if (console != null && req.method().equals(HttpMethod.GET)) {
            ConsolePage.Asset asset = console.get(path);
            if (asset != null) {
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(asset.body()));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
                res.headers().set("Content-Security-Policy", ConsolePage.CSP);
                res.headers().set("X-Content-Type-Options", "nosniff");
                res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                write(ctx, req, res);
                return;
            }
        }
        boolean forConsole = console != null && path.startsWith(ConsoleApi.PREFIX);
        RestRequest restReq;
        try {
            restReq = RestRequest.of(req);
        } catch (RuntimeException e) {
            write(ctx, req, error(WireFormat.JSON, new ErrorInfo(40000, 400, "Malformed request: " + e.getMessage())));
            return;
        }
        java.util.concurrent.CompletableFuture<RestResponse> answer;
        try {
            if (forConsole) {
                answer = consoleApi.handle(restReq);
            } else if (apps != null && apps.serves(restReq)) {
                answer = java.util.concurrent.CompletableFuture.completedFuture(apps.handle(restReq,
                        ((java.net.InetSocketAddress) ctx.channel().localAddress()).getPort()));
            } else {
                answer = rest.handle(restReq);
            }
        } catch (RuntimeException e) {
            answer = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        // Answers that need the engine (another node's channels) complete later, off this event loop.
        answer.whenComplete((r, failure) -> {
            FullHttpResponse res = respond(restReq, r, failure);
            if (forConsole) {
                // A Basic challenge would make the browser prompt for a password instead of the page saying "refused".
                res.headers().remove(HttpHeaderNames.WWW_AUTHENTICATE);
            }
            if (ctx.executor().inEventLoop()) {
                write(ctx, req, res);
            } else {
                ctx.executor().execute(() -> write(ctx, req, res));
            }
        });
    }

    /** Whatever a hostile peer provokes in Netty is its problem: logged quietly, the socket closed. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection error from {}", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private FullHttpResponse respond(RestRequest restReq, RestResponse r, Throwable failure) {
        Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        try {
            if (e == null) {
                return encode(restReq.responseFormat(), r);
            }
            if (e instanceof AblyException ae) {
                countError(ae.error().code());
                return error(restReq.responseFormat(), ae.error());
            }
        } catch (AblyException ae) {
            countError(ae.error().code());
            return error(restReq.responseFormat(), ae.error());
        } catch (RuntimeException re) {
            e = re;
        }
        log.error("internal error on {} {}", restReq.raw().method(), restReq.raw().uri(), e);
        return error(restReq.responseFormat(), new ErrorInfo(50000, 500, "Internal error"));
    }

    private void countError(int code) {
        node.telemetry().error(code);
        if (io.rollcall.server.metrics.Telemetry.isAuthCode(code)) {
            node.telemetry().authFailure(code);
        }
    }

    private FullHttpResponse encode(WireFormat format, RestResponse r) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        byte[] body = r.value() instanceof RestApi.Presences p ? codec.encodePresence(p.list())
                : r.value() instanceof RestApi.Messages m ? codec.encodeMessages(m.list())
                : r.value() instanceof RestApi.Annotations a ? codec.encodeAnnotations(a.list()) : codec.encodeValue(r.value());
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(body));
        // Exactly the bare media type: the SDKs compare it without a charset.
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, format.contentType());
        for (Map.Entry<String, java.util.List<String>> e : r.headers().entrySet()) {
            for (String v : e.getValue()) {
                res.headers().add(e.getKey(), v);
            }
        }
        return res;
    }

    FullHttpResponse error(WireFormat format, ErrorInfo error) {
        byte[] body = ProtocolCodec.of(format).encodeValue(Map.of("error", Map.of(
                "code", error.code(), "statusCode", error.statusCode(), "message", error.message(), "href", error.href())));
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.statusCode()), Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, format.contentType());
        res.headers().set("X-Ably-Errorcode", error.code());
        res.headers().set("X-Ably-Errormessage", headerSafe(error.message()));
        if (error.code() == 40142 || error.code() == 40140) {
            // ably-java renews a token only when this challenge says it is stale.
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "x-ably-token realm=\"ably\", stale=\"true\"");
        } else if (error.statusCode() == 401) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"ably\", x-ably-token realm=\"ably\"");
        }
        return res;
    }

    private static String headerSafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return res;
    }

    void write(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        HttpHeaders h = res.headers();
        h.set("X-Ably-Serverid", node.nodeId());
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null) {
            // Browsers send credentials with an Authorization header, so the origin is echoed, not '*'.
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            h.set(HttpHeaderNames.VARY, "Origin");
        } else {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,POST,PUT,PATCH,DELETE,OPTIONS");
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, CORS_ALLOW_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, CORS_EXPOSE_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        HttpUtil.setContentLength(res, res.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
