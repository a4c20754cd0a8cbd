package io.rollcall.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.core.Connection;
import io.rollcall.server.core.Node;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ErrorInfo;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.util.List;
import java.util.Map;

/**
 * The realtime WebSocket endpoint at "/". The upgrade is always accepted; credentials are checked after it,
 * and a refusal is an ERROR frame then a normal close, because the SDKs cannot read an HTTP 401 on upgrade.
 */
final class RealtimeEndpoint {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RealtimeEndpoint.class);
    private final Node node;
    /** One idle sweep per event loop, for the sockets on it. */
    private final java.util.concurrent.ConcurrentMap<io.netty.channel.EventLoop, IdleSweep> sweeps =
            new java.util.concurrent.ConcurrentHashMap<>();

    RealtimeEndpoint(Node node) {
        this.node = node;
    }

    void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        HttpDispatcher dispatcher = (HttpDispatcher) ctx.handler();
        if (!qs.path().equals("/")) {
            dispatcher.write(ctx, req, dispatcher.error(WireFormat.JSON,
                    new ErrorInfo(40400, 404, "No WebSocket endpoint at " + qs.path() + "; connect to /")));
            return;
        }
        Map<String, List<String>> q = qs.parameters();
        WireFormat format = WireFormat.fromQuery(param(q, "format"));
        int maxFrame = node.limits().maxFrameSize();
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame)
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                .build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + req.headers().get("Host") + "/", null, decoderConfig).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        WebSocketSession session = new WebSocketSession(node, format, ctx.channel());
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            ChannelPipeline p = ctx.pipeline();
            long idle = node.limits().maxIdleInterval().toMillis();
            p.addLast(new WebSocketFrameAggregator(maxFrame));
            p.addLast(session.handler());
            if (ctx.channel().isActive()) {
                // Once inactive, the session's channelInactive (which unlinks it) has run or is on its way.
                sweeps.computeIfAbsent(ctx.channel().eventLoop(), l -> new IdleSweep(l, idle)).add(session);
            }
            p.remove(dispatcher);
            p.remove(UpgradeGuard.class);
            open(session, q);
        });
    }

    private void open(WebSocketSession session, Map<String, List<String>> q) {
        AuthContext auth;
        try {
            auth = authenticate(q);
        } catch (AblyException e) {
            node.telemetry().error(e.error().code());
            if (io.rollcall.server.metrics.Telemetry.isAuthCode(e.error().code())) {
                node.telemetry().authFailure(e.error().code());
            }
            log.atDebug().addKeyValue("code", e.error().code()).log("connection refused: {}", e.error().message());
            session.sendAndClose(new EncodedMessage(ProtocolMessage.error(Action.ERROR, null, e.error())));
            return;
        }
        String resume = param(q, "resume");
        boolean recover = resume == null && param(q, "recover") != null;
        if (recover) {
            resume = param(q, "recover");
        }
        Long remainPresentFor = null;
        String rpf = param(q, "remainPresentFor");
        if (rpf != null) {
            try {
                remainPresentFor = Math.max(0, Math.min(Long.parseLong(rpf), node.limits().connectionStateTtl().toMillis()));
            } catch (NumberFormatException e) {
                session.sendAndClose(new EncodedMessage(ProtocolMessage.error(Action.ERROR, null,
                        new ErrorInfo(40003, 400, "Invalid remainPresentFor: expected milliseconds"))));
                return;
            }
        }
        boolean echo = !"false".equalsIgnoreCase(param(q, "echo"));
        Connection c = node.connect(new Node.ConnectRequest(auth, echo, remainPresentFor, resume, recover), session);
        session.bind(c);
    }

    private AuthContext authenticate(Map<String, List<String>> q) {
        String key = param(q, "key");
        String token = param(q, "access_token");
        if (token == null) {
            token = param(q, "accessToken");
        }
        AuthContext auth;
        if (key != null) {
            auth = node.authenticator().authenticateKey(key);
        } else if (token != null) {
            auth = node.authenticator().authenticateToken(token);
        } else {
            throw new AblyException(40101, 401, "No credentials: connect with key= or access_token=");
        }
        String clientId = param(q, "clientId");
        return clientId == null ? auth : node.authenticator().resolveClientId(auth, clientId);
    }

    private static String param(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
