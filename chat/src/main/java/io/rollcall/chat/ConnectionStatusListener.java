package io.rollcall.chat;

/** Told of every connection status change. */
@FunctionalInterface
public interface ConnectionStatusListener {
    void onStatusChange(ConnectionStatusChange change);
}
