package io.rollcall.server.protocol;

/** Ably's ErrorInfo: an error code (e.g. 40160), the HTTP status it maps to, and a message. */
public record ErrorInfo(int code, int statusCode, String message, String href) {
    public ErrorInfo(int code, int statusCode, String message) {
        this(code, statusCode, message, "https://help.ably.io/error/" + code);
    }

    @Override
    public String toString() {
        return code + "/" + statusCode + ": " + message;
    }
}
