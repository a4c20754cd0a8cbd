package io.rollcall.chat;

/**
 * The failure of a Chat operation, carrying Ably's {@link ErrorInfo}. Asynchronous calls complete their
 * future exceptionally with it (so {@code join()} throws a {@link java.util.concurrent.CompletionException}
 * whose cause is this); calls that fail at once because of the room's configuration (such as subscribing to a
 * feature the room did not enable) throw it. Invalid arguments are not reported with it but with
 * {@link NullPointerException} or {@link IllegalArgumentException}.
 *
 * <p>Codes raised by the SDK itself are the constants below; any other code comes from the server or
 * ably-java (for example 40160 for a missing capability, 80003 or 80002 when the connection is lost).
 */
public final class ChatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** 102103: the room was released; it can no longer be used (get a new one from {@link Rooms#get}). */
    public static final int ROOM_IS_RELEASED = 102103;
    /** 102106: the room was released before the operation completed. */
    public static final int ROOM_RELEASED_BEFORE_OPERATION_COMPLETED = 102106;
    /** 102107: {@link Rooms#get(String, RoomOptions)} for a room that exists with different options. */
    public static final int ROOM_EXISTS_WITH_DIFFERENT_OPTIONS = 102107;
    /** 102108: a feature used that the room's options did not enable (presence or occupancy events). */
    public static final int FEATURE_NOT_ENABLED_IN_ROOM = 102108;
    /** 102109: {@link MessageSubscription#historyBeforeSubscribe} after the subscription was unsubscribed. */
    public static final int LISTENER_NOT_SUBSCRIBED = 102109;
    /** 102110: the room's channel attached without the serial that history before a subscription needs. */
    public static final int CHANNEL_SERIAL_NOT_DEFINED = 102110;
    /** 80003: typing or a room reaction while the connection is not connected. */
    public static final int DISCONNECTED = 80003;
    /** 102112: a presence operation while the room is neither attached nor attaching. */
    public static final int ROOM_IN_INVALID_STATE = 102112;

    /** The error; not serialized with the exception (its message carries it). */
    private final transient ErrorInfo errorInfo;

    /**
     * A failure with this error.
     *
     * @param errorInfo the error
     */
    public ChatException(ErrorInfo errorInfo) {
        super(errorInfo.toString());
        this.errorInfo = errorInfo;
    }

    /**
     * A failure with this code, HTTP status and message.
     *
     * @param code Ably's error code, for example 102112
     * @param statusCode the HTTP status the code maps to, for example 400
     * @param message what went wrong
     */
    public ChatException(int code, int statusCode, String message) {
        this(new ErrorInfo(code, statusCode, message));
    }

    /**
     * The Ably error behind the failure.
     *
     * @return the error
     */
    public ErrorInfo errorInfo() {
        return errorInfo;
    }
}
