package io.rollcall.server.core;

import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.WireFormat;

/**
 * The socket side of a connection, as the core sees it. Implemented by the transport layer; every method is
 * safe to call from any thread and never blocks.
 */
public interface Transport {
    WireFormat format();

    /**
     * Queues a message for this socket. Returns false when the socket's bounded outbound queue is full; the
     * transport then disconnects the client (which resumes), and the caller treats the message as undelivered.
     */
    boolean send(EncodedMessage message);

    /** Sends the message, then closes the socket with a normal close (code 1000). */
    void sendAndClose(EncodedMessage message);

    /** Closes the socket with a normal close (code 1000), after anything already queued. */
    void close();

    /**
     * Takes this transport out of service at once: later {@link #send} calls return false, the messages it had
     * queued but not written are returned (oldest first), and the socket is closed normally.
     */
    java.util.List<EncodedMessage> retire();
}
