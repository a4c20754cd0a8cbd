package io.rollcall.server.core;

import io.rollcall.server.protocol.BaseMessage;

/** One stored message (or presence event) as it was published, with its place in the channel's history. */
public record HistoryEntry(HistorySerial serial, BaseMessage message) {
}
