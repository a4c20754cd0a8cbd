package io.rollcall.server.core;

/** A channel's identity across the whole deployment: channels are scoped per app. */
public record ChannelKey(String appId, String channel) {
}
