package io.rollcall.server.protocol;

/** ProtocolMessage action numbers (Ably TR2). The SDKs index an array by these, so never send one above 21. */
public final class Action {
    public static final int HEARTBEAT = 0;
    public static final int ACK = 1;
    public static final int NACK = 2;
    public static final int CONNECT = 3;
    public static final int CONNECTED = 4;
    public static final int DISCONNECT = 5;
    public static final int DISCONNECTED = 6;
    public static final int CLOSE = 7;
    public static final int CLOSED = 8;
    public static final int ERROR = 9;
    public static final int ATTACH = 10;
    public static final int ATTACHED = 11;
    public static final int DETACH = 12;
    public static final int DETACHED = 13;
    public static final int PRESENCE = 14;
    public static final int MESSAGE = 15;
    public static final int SYNC = 16;
    public static final int AUTH = 17;
    public static final int ACTIVATE = 18;
    public static final int OBJECT = 19;
    public static final int OBJECT_SYNC = 20;
    public static final int ANNOTATION = 21;
    public static final int MAX = ANNOTATION;

    private Action() {}
}
