package io.rollcall.server.protocol;

/** The two encodings Ably clients speak, on the socket ({@code format=}) and over REST ({@code Accept}). */
public enum WireFormat {
    JSON("application/json"),
    MSGPACK("application/x-msgpack");

    private final String contentType;

    WireFormat(String contentType) {
        this.contentType = contentType;
    }

    /** Exactly the header value the SDKs expect: no charset suffix. */
    public String contentType() {
        return contentType;
    }

    public static WireFormat fromQuery(String format) {
        return "msgpack".equalsIgnoreCase(format) ? MSGPACK : JSON;
    }
}
