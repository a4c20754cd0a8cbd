package io.rollcall.server.core;

import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.WireFormat;

/**
 * The socket side of a connection, as the core sees it. Implemented by the transport layer; every method is
 * safe to call from any thread and never blocks.
 */
public interface Transport {
    WireFormat format();

    /** What became of a message handed to {@link #send}. */
    enum Outcome {
        /** Queued for the socket. */
        QUEUED,
        /** Refused: the bounded outbound queue is full. The transport disconnects the client (a slow consumer). */
        FULL,
        /** Refused: the socket is closing or gone, or the transport was retired. */
        CLOSED
    }

    /** Queues a message for this socket, unless it refuses (then the caller still owns the message). */
    Outcome send(EncodedMessage message);

    /** Sends the message, then closes the socket with a normal close (code 1000). */
    void sendAndClose(EncodedMessage message);

    /** Closes the socket with a normal close (code 1000), after anything already queued. */
    void close();

    /**
     * Takes this transport out of service at once: later {@link #send} calls answer CLOSED, the messages it had
     * queued but not written are returned (oldest first), and the socket is closed normally.
     */
    java.util.List<EncodedMessage> retire();

    /** As {@link #retire()}, sending {@code farewell} before the close (where the transport can). */
    default java.util.List<EncodedMessage> retire(EncodedMessage farewell) {
        return retire();
    }
}
