package io.rollcall.chat;

/** The realtime connection's state, as the Chat SDKs report it. */
public enum ConnectionStatus {
    INITIALIZED, CONNECTING, CONNECTED, DISCONNECTED, SUSPENDED, FAILED, CLOSING, CLOSED
}
