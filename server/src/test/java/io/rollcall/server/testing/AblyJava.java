package io.rollcall.server.testing;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import java.util.function.Consumer;

/** Builds real ably-java clients pointed at a local server, as the README tells users to. */
public final class AblyJava {
    private AblyJava() {}

    public static ClientOptions options(int port, String key, boolean binary) {
        try {
            ClientOptions o = key == null ? new ClientOptions() : new ClientOptions(key);
            o.realtimeHost = "localhost";
            o.restHost = "localhost";
            o.port = port;
            o.tls = false;
            o.useBinaryProtocol = binary;
            o.autoConnect = false;
            o.logLevel = io.ably.lib.util.Log.NONE;
            return o;
        } catch (AblyException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AblyRealtime realtime(ClientOptions o) {
        try {
            return new AblyRealtime(o);
        } catch (AblyException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AblyRealtime realtime(int port, String key, boolean binary, Consumer<ClientOptions> tweak) {
        ClientOptions o = options(port, key, binary);
        tweak.accept(o);
        return realtime(o);
    }

    public static AblyRest rest(int port, String key, boolean binary) {
        try {
            return new AblyRest(options(port, key, binary));
        } catch (AblyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gets the channel (with options, if any), attaches it, and waits for ATTACHED. */
    public static io.ably.lib.realtime.Channel attached(AblyRealtime rt, String name, io.ably.lib.types.ChannelOptions opts) {
        try {
            io.ably.lib.realtime.Channel ch = opts == null ? rt.channels.get(name) : rt.channels.get(name, opts);
            Completion c = new Completion();
            ch.attach(c);
            c.ok();
            return ch;
        } catch (AblyException e) {
            throw new IllegalStateException(e);
        }
    }

    public static io.ably.lib.realtime.Channel attached(AblyRealtime rt, String name) {
        return attached(rt, name, null);
    }

    /** Enters presence and waits for the ACK. */
    public static void enter(io.ably.lib.realtime.Channel ch, Object data) {
        try {
            Completion c = new Completion();
            ch.presence.enter(data, c);
            c.ok();
        } catch (AblyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The members, once the channel's presence is in sync. */
    public static io.ably.lib.types.PresenceMessage[] members(io.ably.lib.realtime.Channel ch) {
        try {
            return ch.presence.get(true);
        } catch (AblyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects and waits for CONNECTED (or fails with the connection's error). */
    public static AblyRealtime connected(AblyRealtime rt) {
        rt.connect();
        Await.until(() -> rt.connection.state == ConnectionState.connected
                || rt.connection.state == ConnectionState.failed, "connected");
        if (rt.connection.state != ConnectionState.connected) {
            throw new IllegalStateException("connection failed: " + rt.connection.reason);
        }
        return rt;
    }
}
