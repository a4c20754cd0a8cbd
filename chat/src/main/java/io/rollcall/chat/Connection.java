package io.rollcall.chat;

import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener;

/** The realtime connection as Chat sees it: its status, the error behind it, and changes. */
public final class Connection {
    private final ChatContext ctx;
    private final Listeners<ConnectionStatusListener> listeners;
    private final ConnectionStateListener bridge;

    Connection(ChatContext ctx) {
        this.ctx = ctx;
        this.listeners = new Listeners<>(ctx.listenerExecutor());
        this.bridge = change -> {
            ConnectionStatusChange c = new ConnectionStatusChange(map(change.current), map(change.previous),
                    AblyCalls.convert(change.reason));
            listeners.dispatch(l -> l.onStatusChange(c));
        };
        ctx.realtime().connection.on(bridge);
    }

    /**
     * The current status.
     *
     * @return the status
     */
    public ConnectionStatus status() {
        return map(ctx.realtime().connection.state);
    }

    /**
     * The error behind the current status.
     *
     * @return the error, or null
     */
    public ErrorInfo error() {
        return AblyCalls.convert(ctx.realtime().connection.reason);
    }

    /**
     * Listens to status changes, on the client's listener executor, until unsubscribed.
     *
     * @param listener called with each change
     * @return a new, independent subscription
     * @throws NullPointerException if {@code listener} is null
     */
    public Subscription onStatusChange(ConnectionStatusListener listener) {
        return listeners.add(listener);
    }

    void close() {
        ctx.realtime().connection.off(bridge);
        listeners.clear();
    }

    static ConnectionStatus map(ConnectionState s) {
        if (s == null) {
            return ConnectionStatus.INITIALIZED;
        }
        return switch (s) {
            case initialized -> ConnectionStatus.INITIALIZED;
            case connecting -> ConnectionStatus.CONNECTING;
            case connected -> ConnectionStatus.CONNECTED;
            case disconnected -> ConnectionStatus.DISCONNECTED;
            case suspended -> ConnectionStatus.SUSPENDED;
            case closing -> ConnectionStatus.CLOSING;
            case closed -> ConnectionStatus.CLOSED;
            case failed -> ConnectionStatus.FAILED;
        };
    }
}
