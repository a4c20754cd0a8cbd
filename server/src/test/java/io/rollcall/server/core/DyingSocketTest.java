package io.rollcall.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.auth.ApiKey;
import io.rollcall.server.auth.Authenticator;
import io.rollcall.server.auth.Keyring;
import io.rollcall.server.config.Limits;
import io.rollcall.server.engine.memory.MemoryBroker;
import io.rollcall.server.metrics.Telemetry;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.ProtocolMessage;
import io.rollcall.server.protocol.WireFormat;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The window between a socket starting to close and the core hearing of it, pinned deterministically (a real
 * socket only hits it by chance, as the Node suite once did): a message refused in that window is held for
 * the resume, not taken for a slow consumer's gap.
 */
class DyingSocketTest {
    static final String KEY = "app.k:secret";

    /** A socket as the core sees it; it can be made to refuse as one that is closing does. */
    static final class Socket implements Transport {
        final List<ProtocolMessage> sent = new CopyOnWriteArrayList<>();
        volatile boolean closing;
        volatile boolean full;
        /** Runs as the ATTACHED is handed over: a socket that dies right then. */
        volatile Runnable onAttached;
        /** Runs as a MESSAGE is handed over, with its data. */
        volatile java.util.function.Consumer<Object> onMessage;

        @Override
        public WireFormat format() {
            return WireFormat.JSON;
        }

        @Override
        public Outcome send(EncodedMessage message) {
            if (closing) {
                return Outcome.CLOSED;
            }
            if (full) {
                return Outcome.FULL;
            }
            sent.add(message.message());
            Runnable hook = onAttached;
            if (hook != null && message.message().action == Action.ATTACHED) {
                onAttached = null;
                hook.run();
            }
            java.util.function.Consumer<Object> messageHook = onMessage;
            if (messageHook != null && message.message().action == Action.MESSAGE) {
                messageHook.accept(message.message().messages.get(0).data);
            }
            return Outcome.QUEUED;
        }

        @Override
        public void sendAndClose(EncodedMessage message) {
            sent.add(message.message());
            closing = true;
        }

        @Override
        public void close() {
            closing = true;
        }

        @Override
        public List<EncodedMessage> retire() {
            closing = true;
            return List.of();
        }

        List<String> data() {
            return sent.stream().filter(m -> m.action == Action.MESSAGE).map(m -> (String) m.messages.get(0).data).toList();
        }

        /** What the client saw: ATTACHED and the data of messages, in order. */
        List<String> seen() {
            return sent.stream().filter(m -> m.action == Action.MESSAGE || m.action == Action.ATTACHED)
                    .map(m -> m.action == Action.ATTACHED ? "ATTACHED" : (String) m.messages.get(0).data).toList();
        }
    }

    static Node node() {
        Authenticator auth = new Authenticator(new Keyring(List.of(ApiKey.parse(KEY))), Clock.systemUTC());
        return new Node(Limits.defaults(), Clock.systemUTC(), auth, new MemoryBroker(Node.newNodeId()), Telemetry.inMemory());
    }

    static Connection connect(Node node, Socket socket, String resumeKey) {
        return node.connect(new Node.ConnectRequest(node.authenticator().authenticateKey(KEY), true, null, resumeKey), socket);
    }

    /** A connection on that socket, attached to the room. */
    static Connection subscriber(Node node, Socket socket) {
        Connection c = connect(node, socket, null);
        attach(node, c, null);
        return c;
    }

    static void attach(Node node, Connection c, String serial) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, "room");
        pm.flags = Flags.SUBSCRIBE | Flags.PUBLISH;
        pm.channelSerial = serial;
        node.inbound().receive(c, pm);
    }

    static void publish(Node node, Connection from, String data) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "room");
        Message m = new Message();
        m.data = data;
        pm.messages = List.of(m);
        node.inbound().receive(from, pm);
    }

    static String lastSerial(Socket s) {
        List<ProtocolMessage> msgs = s.sent.stream().filter(m -> m.action == Action.MESSAGE).toList();
        return msgs.get(msgs.size() - 1).channelSerial;
    }

    @Test
    void aMessageRefusedByADyingSocketArrivesAfterTheResume() {
        Node node = node();
        try {
            Socket first = new Socket();
            Connection sub = subscriber(node, first);
            Connection pub = connect(node, new Socket(), null);
            publish(node, pub, "m1");
            assertThat(first.data()).containsExactly("m1");

            first.closing = true; // the socket is closing; the core has not been told yet
            publish(node, pub, "m2");
            node.transportClosed(sub, first, List.of());

            Socket second = new Socket();
            Connection resumed = connect(node, second, sub.key());
            ProtocolMessage connected = second.sent.get(0);
            assertThat(connected.action).isEqualTo(Action.CONNECTED);
            assertThat(connected.error).as("resume accepted").isNull();
            assertThat(resumed).isSameAs(sub);
            attach(node, resumed, lastSerial(first));
            assertThat(second.data()).containsExactly("m2");
        } finally {
            node.shutdown();
        }
    }

    /**
     * An attach answered off the socket's event loop (on Redis, once the channel's seed is in, on the engine's
     * thread) while the socket's loss is being handled on its loop: the release of the attach must not undo the
     * hold the loss put on the channel. It did: messages held meanwhile stayed held past the resume's re-attach,
     * and live ones went out before its ATTACHED, which the SDKs drop (RTL17).
     */
    @Test
    void anAttachAnsweredAsTheSocketDiesLeavesTheChannelHeldForTheResume() {
        Node node = node();
        try {
            Socket first = new Socket();
            Connection sub = connect(node, first, null);
            // The loss is heard of while the ATTACHED is being handed over, before the attach has released the
            // channel (the loss runs here, in the middle, as a thread switch at that point would run it).
            first.onAttached = () -> node.transportClosed(sub, first, List.of());
            attach(node, sub, null);
            Connection pub = connect(node, new Socket(), null);
            publish(node, pub, "m0"); // while away: held for the resume

            Socket second = new Socket();
            assertThat(connect(node, second, sub.key())).isSameAs(sub);
            publish(node, pub, "m1"); // resumed, the channel not yet re-attached: held until it is
            String attachSerial = first.sent.stream().filter(m -> m.action == Action.ATTACHED).findFirst().orElseThrow().channelSerial;
            attach(node, sub, attachSerial);
            publish(node, pub, "m2");
            assertThat(second.seen()).containsExactly("ATTACHED", "m0", "m1", "m2");
        } finally {
            node.shutdown();
        }
    }

    /** The same attach answered only after the loss: its ATTACHED reached no socket, so the channel waits for the resume's. */
    @Test
    void anAttachAnsweredAfterTheSocketDiedHoldsTheChannelForTheResume() {
        Node node = node();
        try {
            Socket first = new Socket();
            Connection sub = connect(node, first, null);
            node.transportClosed(sub, first, List.of());
            attach(node, sub, null);
            Connection pub = connect(node, new Socket(), null);
            publish(node, pub, "m0");

            Socket second = new Socket();
            assertThat(connect(node, second, sub.key())).isSameAs(sub);
            publish(node, pub, "m1");
            attach(node, sub, null);
            publish(node, pub, "m2");
            assertThat(second.seen()).containsExactly("ATTACHED", "m0", "m1", "m2");
        } finally {
            node.shutdown();
        }
    }

    @Test
    void aFullSocketIsStillASlowConsumerWhoseResumeFails() {
        Node node = node();
        try {
            Socket first = new Socket();
            Connection sub = subscriber(node, first);
            Connection pub = connect(node, new Socket(), null);
            first.full = true;
            publish(node, pub, "lost");
            node.transportClosed(sub, first, List.of());

            Socket second = new Socket();
            connect(node, second, sub.key());
            assertThat(second.sent.get(0).error.code()).isEqualTo(80007);
        } finally {
            node.shutdown();
        }
    }

    /**
     * What a held channel releases (a rewind's history answered on the engine's thread, or what waited for a
     * resume's re-attach) goes out before any live message: a delivery that finds nothing held skips the
     * connection's lock, so nothing may look unheld until the release is out. It once did, and a live message
     * published meanwhile (on another thread) landed in the middle of a rewind.
     */
    @Test
    void aLiveMessageDoesNotOvertakeWhatAHeldChannelReleases() throws Exception {
        Node node = node();
        try {
            Socket socket = new Socket();
            Connection sub = subscriber(node, socket);
            Connection pub = connect(node, new Socket(), null);
            List<EncodedMessage> held = new java.util.ArrayList<>();
            for (String data : List.of("old1", "old2", "old3")) {
                ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "room");
                Message m = new Message();
                m.data = data;
                pm.messages = List.of(m);
                held.add(new EncodedMessage(pm));
            }
            Thread[] live = new Thread[1];
            // While the first released message is handed over, another thread publishes: it must wait (or be
            // queued after the release), not go out between the released messages.
            socket.onMessage = data -> {
                if ("old1".equals(data)) {
                    live[0] = new Thread(() -> publish(node, pub, "new0"));
                    live[0].start();
                    io.rollcall.server.testing.Await.until(() -> live[0].getState() == Thread.State.BLOCKED
                            || live[0].getState() == Thread.State.TERMINATED, "the live publish waiting or done");
                }
            };
            sub.holdChannel("room");
            sub.releaseHeld("room", held);
            live[0].join(io.rollcall.server.testing.Await.TIMEOUT.toMillis());
            assertThat(socket.data()).containsExactly("old1", "old2", "old3", "new0");
        } finally {
            node.shutdown();
        }
    }
}
