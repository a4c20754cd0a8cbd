package io.rollcall.chat;

/**
 * An Ably error: a numeric {@code code} (for example 40160, or Chat's 102108), the HTTP {@code statusCode} it
 * maps to, and a human-readable {@code message}.
 */
public record ErrorInfo(int code, int statusCode, String message) {
    @Override
    public String toString() {
        return message + " (code " + code + ", status " + statusCode + ")";
    }
}
