package io.rollcall.server.protocol;


/** Ably's message size: the bytes of name, data, clientId and extras, which {@code maxMessageSize} bounds. */
public final class PayloadSize {
    private PayloadSize() {}

    public static long of(Message m) {
        return utf8(m.name) + ofData(m.data) + utf8(m.clientId) + (m.extras == null ? 0 : m.extras.toString().length());
    }

    public static long ofData(Object data) {
        if (data instanceof byte[] b) {
            return b.length;
        }
        if (data instanceof String s) {
            return utf8(s);
        }
        return 0;
    }

    private static long utf8(String s) {
        if (s == null) {
            return 0;
        }
        // Cheap upper-bound-free exact count without allocating.
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n++;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
