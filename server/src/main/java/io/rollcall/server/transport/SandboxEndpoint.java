package io.rollcall.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.config.SandboxSettings;
import io.rollcall.server.core.Node;
import io.rollcall.server.protocol.AblyException;
import io.rollcall.server.protocol.ProtocolCodec;
import io.rollcall.server.sandbox.Sandbox;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The sandbox API over HTTP: {@code POST /apps} and {@code DELETE /apps/{id}}, answered as Ably's sandbox
 * answers them, plus where to reach the app ({@code endpoint}, {@code port}, {@code tls}), which ably-js's test
 * harness reads when pointed at a local sandbox ({@code ABLY_LOCAL_SANDBOX_URL}).
 */
final class SandboxEndpoint {
    private final Node node;
    private final Sandbox sandbox;
    private final SandboxSettings.Access access;
    private final byte[] adminSecret;

    SandboxEndpoint(Node node, Sandbox sandbox, SandboxSettings settings, String bindHost) {
        this.node = node;
        this.sandbox = sandbox;
        this.access = settings.access(bindHost);
        this.adminSecret = settings.adminSecret() == null ? null : settings.adminSecret().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this request is the sandbox API's (when the API is off, /apps is just an unknown route). */
    boolean serves(RestRequest req) {
        return access != SandboxSettings.Access.OFF && "apps".equals(req.segment(0));
    }

    RestResponse handle(RestRequest req, int localPort) {
        HttpMethod m = req.method();
        if (access == SandboxSettings.Access.OPEN && !fromLoopbackPage(req)) {
            // Open means open to programs on this machine, not to any web page its browser happens to show.
            throw new AblyException(40300, 403, "The open sandbox API serves pages from loopback origins only");
        }
        if (m.equals(HttpMethod.POST) && req.segmentCount() == 1) {
            requireAdmin(req);
            JsonNode spec = ProtocolCodec.of(req.bodyFormat()).decodeTree(req.body());
            ObjectNode app = sandbox.create(spec);
            app.put("endpoint", endpointHost(req));
            app.put("port", localPort);
            app.put("tls", false);
            return RestResponse.status(HttpResponseStatus.CREATED, app);
        }
        if (m.equals(HttpMethod.DELETE) && req.segmentCount() == 2) {
            String appId = req.segment(1);
            if (!isAdmin(req) && !holdsKeyOf(req, appId)) {
                throw new AblyException(40101, 401, "Deleting an app needs the admin secret or one of the app's keys");
            }
            if (!sandbox.delete(appId)) {
                throw new AblyException(40400, 404, "No sandbox app " + appId);
            }
            return RestResponse.ok(Map.of("appId", appId, "deleted", true));
        }
        throw new AblyException(40400, 404, "Not found: " + m + " " + req.raw().uri());
    }

    private void requireAdmin(RestRequest req) {
        if (!isAdmin(req)) {
            throw new AblyException(40101, 401, "The sandbox API needs the admin secret: Authorization: Bearer <secret>");
        }
    }

    private boolean isAdmin(RestRequest req) {
        if (access == SandboxSettings.Access.OPEN) {
            return true;
        }
        String h = req.header(HttpHeaderNames.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(adminSecret, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** No Origin (not a browser), or a page served from this machine. */
    private static boolean fromLoopbackPage(RestRequest req) {
        String origin = req.header(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            String host = URI.create(origin.trim()).getHost();
            if (host == null) {
                return false;
            }
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return bare.equals("localhost") || bare.equals("::1") || bare.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** As Ably's sandbox: an app's own key may delete it. */
    private boolean holdsKeyOf(RestRequest req, String appId) {
        String h = req.header(HttpHeaderNames.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            AuthContext auth = node.authenticator().authenticateHeader(h);
            return auth.appId().equals(appId);
        } catch (AblyException e) {
            return false;
        }
    }

    /** The host the client reached us by (the Host header without its port), so it connects the same way. */
    private static String endpointHost(RestRequest req) {
        String host = req.header(HttpHeaderNames.HOST);
        if (host == null || host.isBlank()) {
            return "localhost";
        }
        host = host.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
