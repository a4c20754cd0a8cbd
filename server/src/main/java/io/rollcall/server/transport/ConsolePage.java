package io.rollcall.server.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operator console's static files (HTML, CSS, JS and the vendored ably-js browser bundle),
 * read once from the classpath and served from memory: the console needs no network and no build step.
 */
final class ConsolePage {
    record Asset(byte[] body, String contentType) {}

    private static final Map<String, String> FILES = Map.of(
            "/console", "console/index.html",
            "/console/", "console/index.html",
            "/console/console.css", "console/console.css",
            "/console/console.js", "console/console.js",
            "/console/ably.min.js", "console/vendor/ably.min.js");

    /** Content-Security-Policy: only this server's own scripts, styles and sockets. */
    static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, Asset> assets;

    ConsolePage() {
        Map<String, Asset> loaded = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : FILES.entrySet()) {
            loaded.put(e.getKey(), new Asset(read(e.getValue()), contentType(e.getValue())));
        }
        this.assets = Map.copyOf(loaded);
    }

    /** The file at that path, or null. */
    Asset get(String path) {
        return assets.get(path);
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsolePage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console resource missing from the build: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) return "text/html; charset=utf-8";
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        return "text/javascript; charset=utf-8";
    }
}
