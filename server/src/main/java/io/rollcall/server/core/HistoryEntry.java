package io.rollcall.server.core;

import io.rollcall.server.protocol.BaseMessage;

/** One stored message (or presence event) as it was published, with its place in the channel's history. */
public record HistoryEntry(HistorySerial serial, BaseMessage message) {
    /**
     * The message as readers get it: a versioned (Chat) message with its serial and version serial filled in
     * from where it is stored (they are only known once it is), anything else as stored.
     */
    public BaseMessage readable() {
        if (message instanceof io.rollcall.server.protocol.Message m && m.action != null
                && ChatMessages.MESSAGE_NAME.equals(m.name)) {
            return ChatMessages.withSerials(m, serial);
        }
        return message;
    }
}
