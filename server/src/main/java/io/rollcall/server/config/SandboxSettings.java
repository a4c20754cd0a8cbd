package io.rollcall.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may use the sandbox API ({@code POST /apps}, {@code DELETE /apps/{id}}): off entirely, open to anyone who
 * can reach a server bound to loopback (the default local {@code serve}), or, with an admin secret, to requests
 * that present it. A server bound to any other address serves the API only with an admin secret configured.
 */
public record SandboxSettings(boolean enabled, String adminSecret) {
    public static final SandboxSettings DEFAULT = new SandboxSettings(true, null);

    public SandboxSettings {
        if (adminSecret != null && adminSecret.isBlank()) {
            throw new IllegalArgumentException("sandbox adminSecret must not be blank");
        }
    }

    /** How the API is served on a server bound to {@code host}. */
    public Access access(String host) {
        if (!enabled) {
            return Access.OFF;
        }
        if (adminSecret != null) {
            return Access.ADMIN_SECRET;
        }
        return isLoopback(host) ? Access.OPEN : Access.OFF;
    }

    public enum Access { OFF, OPEN, ADMIN_SECRET }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
