package io.rollcall.server.protocol;

/** CONNECTED.connectionDetails (Ably CD2). Every field is sent; java reads them as numbers without null checks. */
public record ConnectionDetails(
        String clientId,
        String connectionKey,
        long maxMessageSize,
        long maxFrameSize,
        long maxInboundRate,
        long connectionStateTtl,
        long maxIdleInterval,
        String serverId) {
}
