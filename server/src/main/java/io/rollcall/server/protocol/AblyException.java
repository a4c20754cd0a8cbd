package io.rollcall.server.protocol;

/** A failure that carries the Ably error the client must see. Thrown at the edges, never swallowed. */
public class AblyException extends RuntimeException {
    private final ErrorInfo error;

    public AblyException(ErrorInfo error) {
        super(error.toString(), null, false, false);
        this.error = error;
    }

    public AblyException(int code, int statusCode, String message) {
        this(new ErrorInfo(code, statusCode, message));
    }

    public ErrorInfo error() {
        return error;
    }
}
