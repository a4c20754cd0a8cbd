package io.rollcall.chat;

/**
 * An Ably error. The codes the SDK raises itself are listed on {@link ChatException}.
 *
 * @param code Ably's numeric error code, for example 40160 or Chat's 102108
 * @param statusCode the HTTP status the code maps to, for example 400
 * @param message a human-readable description
 */
public record ErrorInfo(int code, int statusCode, String message) {
    @Override
    public String toString() {
        return message + " (code " + code + ", status " + statusCode + ")";
    }
}
