package io.rollcall.server.core;

/**
 * A Chat message's serial: its {@link HistorySerial} written with fixed-width fields, so serials order as
 * strings exactly as they order in history (the SDKs compare them as strings).
 */
public final class ChatSerial {
    private ChatSerial() {}

    public static String format(HistorySerial s) {
        return String.format("%014d-%06d", s.ms(), s.seq());
    }

    /** The serial's place in history; a serial this server never issued is not found (40400). */
    public static HistorySerial parse(String serial) {
        HistorySerial s = tryParse(serial);
        if (s == null) {
            throw ChatMessages.notFound(serial);
        }
        return s;
    }

    static HistorySerial tryParse(String serial) {
        if (serial == null || serial.indexOf('-') < 0) {
            return null;
        }
        return HistorySerial.parse(serial);
    }
}
