package io.rollcall.chat;

/** The realtime connection's state, as the Chat SDKs report it. */
public enum ConnectionStatus {
    /** Not yet connecting. */
    INITIALIZED,
    /** Connecting. */
    CONNECTING,
    /** Connected. */
    CONNECTED,
    /** Connection lost for now; retrying. */
    DISCONNECTED,
    /** Disconnected for long; retrying less often. */
    SUSPENDED,
    /** Failed for good (see {@link Connection#error()}). */
    FAILED,
    /** Closing. */
    CLOSING,
    /** Closed by the user. */
    CLOSED
}
