package io.rollcall.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy between a client and the server, so tests can drop a transport the way a network
 * does: {@link #cut()} resets every live connection on both sides at once.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean refusing;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            // Decided under the same lock as cut(): a connection is either refused or cut, never missed.
            synchronized (this) {
                if (closed || refusing) {
                    reset(client);
                    continue;
                }
                try {
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(server);
                    pipe(client, server);
                    pipe(server, client);
                } catch (IOException e) {
                    reset(client);
                }
            }
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        quietlyClose(s);
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // A cut or a close: the other direction ends too.
            } finally {
                quietlyClose(from);
                quietlyClose(to);
            }
        }, "tcp-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** New connections go to another port (the client is sent to another server). */
    public void retarget(int port) {
        this.targetPort = port;
    }

    /** While refusing, new connections are reset at once: the server is unreachable for the client. */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Drops every live connection abruptly (RST), with no WebSocket close on either side. */
    public synchronized void cut() {
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    private static void quietlyClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Stops accepting first, then cuts: a client reconnecting at once finds nobody listening. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        cut();
    }
}
