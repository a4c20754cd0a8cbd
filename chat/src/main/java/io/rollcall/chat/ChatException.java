package io.rollcall.chat;

/**
 * The failure of a Chat operation, carrying Ably's {@link ErrorInfo}. Asynchronous calls complete their
 * {@code CompletableFuture} exceptionally with it; calls that fail at once (such as subscribing to a feature
 * the room did not enable) throw it.
 */
public final class ChatException extends RuntimeException {
    private final ErrorInfo errorInfo;

    /** A failure with this error. */
    public ChatException(ErrorInfo errorInfo) {
        super(errorInfo.toString());
        this.errorInfo = errorInfo;
    }

    /** A failure with this code, HTTP status and message. */
    public ChatException(int code, int statusCode, String message) {
        this(new ErrorInfo(code, statusCode, message));
    }

    /** The Ably error behind the failure. */
    public ErrorInfo errorInfo() {
        return errorInfo;
    }

    /** Chat's own error codes, raised by the SDK itself. */
    static final int ROOM_EXISTS_WITH_DIFFERENT_OPTIONS = 102107;
    static final int FEATURE_NOT_ENABLED_IN_ROOM = 102108;
    static final int ROOM_IN_INVALID_STATE = 102112;
    static final int ROOM_IS_RELEASED = 102103;
    static final int ROOM_RELEASED_BEFORE_OPERATION_COMPLETED = 102106;
}
