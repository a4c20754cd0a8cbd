package io.rollcall.server.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.server.auth.AuthContext;
import io.rollcall.server.auth.Authenticator;
import io.rollcall.server.config.Limits;
import io.rollcall.server.metrics.Telemetry;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.ConnectionDetails;
import io.rollcall.server.protocol.EncodedMessage;
import io.rollcall.server.protocol.ErrorInfo;
import io.rollcall.server.protocol.ProtocolMessage;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime core of one server: apps and their channels, live connections, and the broker that carries
 * publications between nodes. Transport hands it authenticated connects and decoded messages; it never sees
 * sockets.
 */
public final class Node implements Broker.Deliveries {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** Node ids have this many characters, and every connectionId starts with its node's id. */
    public static final int NODE_ID_LENGTH = 6;

    private final Limits limits;
    private final Clock clock;
    private final Authenticator authenticator;
    private final Broker broker;
    private final Telemetry telemetry;
    private final ScheduledThreadPoolExecutor scheduler;
    /**
     * Hands out channels' batched presence events (see Channel#sendPresence). Its queue holds at most one
     * task per channel with events waiting, and each channel's sends run one at a time, in order.
     */
    private final java.util.concurrent.ThreadPoolExecutor presenceSender;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, App> apps = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final InboundProtocol inbound;
    private volatile FanOutScope fanOutScope = FanOutScope.NONE;
    private final List<ChannelObserver> observers = new CopyOnWriteArrayList<>();
    private final ChatMessages chatMessages = new ChatMessages(this);
    private final MessageReactions messageReactions = new MessageReactions(this, chatMessages);

    public Node(Limits limits, Clock clock, Authenticator authenticator, Broker broker, Telemetry telemetry) {
        this.limits = limits;
        this.clock = clock;
        this.authenticator = authenticator;
        this.broker = broker;
        this.telemetry = telemetry;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rollcall-timers");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        java.util.concurrent.atomic.AtomicInteger senders = new java.util.concurrent.atomic.AtomicInteger();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.presenceSender = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rollcall-presence-" + senders.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.presenceSender.allowCoreThreadTimeOut(true);
        this.inbound = new InboundProtocol(this);
        broker.start(this);
        long retention = Math.max(1, limits.channelRetention().toMillis());
        scheduler.scheduleWithFixedDelay(this::sweep, retention, Math.max(1, retention / 2), TimeUnit.MILLISECONDS);
        telemetry.gauge("rollcall_connections", "Live connections, including those awaiting resume", connections::size);
        telemetry.gauge("rollcall_channels", "Channels held by this node",
                () -> apps.values().stream().mapToInt(App::channelCount).sum());
    }

    public Limits limits() {
        return limits;
    }

    /** The transport's batching of a fan-out's hand-overs (set once, by the transport, before it serves). */
    public void fanOutScope(FanOutScope scope) {
        this.fanOutScope = scope;
    }

    FanOutScope fanOutScope() {
        return fanOutScope;
    }

    public Clock clock() {
        return clock;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Broker broker() {
        return broker;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** Channels' message and presence history, as the engine keeps it. */
    public MessageHistory history() {
        return broker.history();
    }

    /** Chat messages (the Chat REST API's store and events). */
    public ChatMessages chatMessages() {
        return chatMessages;
    }

    /** Annotations of messages: Chat reactions and their summaries. */
    public MessageReactions messageReactions() {
        return messageReactions;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    java.util.concurrent.Executor presenceSender() {
        return presenceSender;
    }

    public String nodeId() {
        return broker.nodeId();
    }

    /** A fresh node id: random, so a restarted node never inherits the state of its previous life. */
    public static String newNodeId() {
        return randomId(new SecureRandom(), NODE_ID_LENGTH);
    }

    private static String randomId(SecureRandom random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(out);
    }

    /** Whether a connection (and so its presence members) belongs to that node: its id starts with the node's. */
    public static boolean owns(String nodeId, String connectionId) {
        return connectionId != null && connectionId.length() >= NODE_ID_LENGTH
                && connectionId.regionMatches(0, nodeId, 0, NODE_ID_LENGTH);
    }

    /** Registers an integration that follows channel events (see {@link ChannelObserver}). */
    public void observe(ChannelObserver observer) {
        observers.add(observer);
    }

    List<ChannelObserver> observers() {
        return observers;
    }

    public InboundProtocol inbound() {
        return inbound;
    }

    public App app(String appId) {
        return apps.computeIfAbsent(appId, id -> new App(id, this));
    }

    public Collection<Connection> connections() {
        return connections.values();
    }

    /** What a client asked for when it opened its socket, after the edge authenticated it. */
    public record ConnectRequest(AuthContext auth, boolean echo, Long remainPresentFor, String resumeKey, boolean recover) {
        /** A connect, or a resume (not a recover) when {@code resumeKey} is given. */
        public ConnectRequest(AuthContext auth, boolean echo, Long remainPresentFor, String resumeKey) {
            this(auth, echo, remainPresentFor, resumeKey, false);
        }
    }

    /**
     * Opens a connection on the transport, or resumes the one named by {@code resumeKey}. Sends CONNECTED:
     * with the same connectionId on a successful resume; with a new one and an error when the old one is gone
     * (80008), belongs to other credentials (80011) or cannot continue without a gap (80007).
     */
    public Connection connect(ConnectRequest req, Transport transport) {
        if (req.resumeKey() != null) {
            if (!isWellFormedKey(req.resumeKey())) {
                telemetry.error(80018);
                return open(req, transport, new ErrorInfo(80018, 400,
                        "Unable to resume or recover connection: invalid connection key (invalid format)"));
            }
            Connection old = findByKey(req.resumeKey());
            ErrorInfo refusal;
            if (old == null) {
                // It may live on another node (the client reconnected through another one): that node lets it
                // go now, so its members leave at once and the client's re-entry here is the only member.
                if (!owns(nodeId(), req.resumeKey())) {
                    broker.connectionTakenOver(req.resumeKey());
                }
                refusal = new ErrorInfo(80008, 400, "Unable to resume connection: unknown or expired connection key");
            } else if (!old.app().id().equals(req.auth().appId())) {
                refusal = new ErrorInfo(80008, 400, "Unable to resume connection: it belongs to another app");
            } else if (!sameClient(old.clientId(), req.auth().clientId())) {
                refusal = new ErrorInfo(80011, 400, "Unable to resume connection: incompatible auth params (clientId differs)");
            } else {
                old.auth(req.auth());
                if (req.recover()) {
                    // RTN16d: a recovered connection gets a new key, so whoever held the old one (often another
                    // client still running) cannot take the connection back with it.
                    old.rekey(newKey(old.id()));
                }
                if (old.resumeOn(transport, connected(old, null), req.recover())) {
                    inbound.armTokenExpiry(old);
                    return old;
                }
                refusal = new ErrorInfo(80007, 400,
                        "Unable to resume connection: messages for it exceeded the resume buffer or were lost (slow consumer)");
                discard(old);
            }
            telemetry.error(refusal.code());
            return open(req, transport, refusal);
        }
        return open(req, transport, null);
    }

    private static boolean sameClient(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private Connection open(ConnectRequest req, Transport transport, ErrorInfo error) {
        String id = nodeId() + randomId(CONNECTION_ID_RANDOM);
        String key = newKey(id);
        long grace = req.remainPresentFor() != null ? req.remainPresentFor() : limits.presenceGrace().toMillis();
        Connection c = new Connection(id, key, app(req.auth().appId()), this, req.auth(), req.echo(), grace, transport);
        connections.put(id, c);
        c.app().meters().connectionOpened();
        log.atDebug().addKeyValue("connectionId", id).addKeyValue("appId", c.app().id())
                .addKeyValue("clientId", c.clientId()).log("connection opened");
        c.deliver(connected(c, error));
        inbound.armTokenExpiry(c);
        return c;
    }

    EncodedMessage connected(Connection c, ErrorInfo error) {
        ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
        pm.connectionId = c.id();
        pm.connectionDetails = new ConnectionDetails(c.clientId(), c.key(), limits.maxMessageSize(),
                limits.maxFrameSize(), limits.maxInboundRate(), limits.connectionStateTtl().toMillis(),
                limits.maxIdleInterval().toMillis(), nodeId());
        pm.error = error;
        return new EncodedMessage(pm);
    }

    private static final int CONNECTION_ID_RANDOM = 10;
    private static final int KEY_SECRET_LENGTH = 16;

    private String newKey(String connectionId) {
        return connectionId + '!' + randomId(KEY_SECRET_LENGTH);
    }

    /** Whether a resume or recover key has the shape of this server's keys ({@code id!secret}); if not, 80018. */
    static boolean isWellFormedKey(String key) {
        int bang = key.indexOf('!');
        return bang == NODE_ID_LENGTH + CONNECTION_ID_RANDOM && key.length() == bang + 1 + KEY_SECRET_LENGTH
                && isIdChars(key, 0, bang) && isIdChars(key, bang + 1, key.length());
    }

    private static boolean isIdChars(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private Connection findByKey(String key) {
        int bang = key.indexOf('!');
        if (bang <= 0) {
            return null;
        }
        Connection c = connections.get(key.substring(0, bang));
        if (c == null || !MessageDigest.isEqual(c.key().getBytes(), key.getBytes())) {
            return null;
        }
        return c;
    }

    /** Ends every connection of an app (it was deleted), telling each client why. */
    public void closeApp(String appId, ErrorInfo why) {
        EncodedMessage error = new EncodedMessage(ProtocolMessage.error(Action.ERROR, null, why));
        for (Connection c : connections.values()) {
            if (c.app().id().equals(appId)) {
                Transport t = c.transport();
                discard(c);
                if (t != null) {
                    t.sendAndClose(error);
                }
            }
        }
    }

    /** The socket closed without a CLOSE: keep the connection for a resume, within the grace period. */
    public void transportClosed(Connection c, Transport t, java.util.List<EncodedMessage> unsent) {
        c.transportLost(t, unsent);
    }

    /** The presence grace period ended with no resume: its members leave; the connection stays for a resume. */
    void presenceExpired(Connection c) {
        for (Attachment a : c.attachmentList()) {
            if (a.channel.hasMembersOf(c.id()) && c.presenceLeaving(a.channel.name())) {
                a.channel.leaveMembersOf(c.id());
            }
        }
    }

    /** The connection state ttl ended with no resume: members leave, attachments go, the connection is forgotten. */
    void expire(Connection c) {
        log.debug("connection {} expired without resuming", c.id());
        discard(c);
    }

    /** Ends a connection for good: detaches everything (so its members leave) and forgets it. */
    void discard(Connection c) {
        if (!c.markClosed()) {
            return;
        }
        if (connections.remove(c.id(), c)) {
            c.app().meters().connectionClosed();
            log.atDebug().addKeyValue("connectionId", c.id()).addKeyValue("appId", c.app().id()).log("connection closed");
        }
        for (Attachment a : c.attachmentList()) {
            a.channel.detach(c);
        }
    }

    @Override
    public void deliver(ChannelKey key, Publication publication) {
        App app = apps.get(key.appId());
        if (app == null) {
            return;
        }
        Channel ch = app.existing(key.channel());
        if (ch == null) {
            return;
        }
        if (publication.kind() == Publication.Kind.MESSAGE) {
            ch.deliverMessages(publication.message(), publication.originConnectionId(), publication.fromPeer(),
                    publication.historySerial(), publication.historySerial() == null && !publication.items().isEmpty());
        } else {
            ch.deliverPresence(publication.message(), publication.presence(), publication.originConnectionId(),
                    publication.fromPeer());
        }
    }

    private void forEachChannel(java.util.function.Consumer<Channel> action) {
        for (App app : apps.values()) {
            app.channels().forEach(action);
        }
    }

    private Channel held(ChannelKey key) {
        App app = apps.get(key.appId());
        return app == null ? null : app.existing(key.channel());
    }

    @Override
    public void stored(ChannelKey key, Publication publication, HistorySerial serial) {
        Channel ch = held(key);
        if (ch != null) {
            ch.historyStored(publication.message(), serial);
        }
    }

    @Override
    public void occupancy(ChannelKey key, String nodeId, OccupancyMetrics.Snapshot share) {
        Channel ch = held(key);
        if (ch != null) {
            ch.remoteShare(nodeId, share);
        }
    }

    @Override
    public void activity(ChannelKey key, boolean active) {
        Channel ch = held(key);
        if (ch != null) {
            ch.activityFlipped(active);
        } else {
            reportActivity(key, active, OccupancyMetrics.Snapshot.EMPTY);
        }
    }

    /** Tells integrations a channel opened or closed (with the closing reading, when it closed). */
    void reportActivity(ChannelKey key, boolean active, OccupancyMetrics.Snapshot reading) {
        for (ChannelObserver o : observers) {
            o.lifecycleChanged(key, active, reading);
            if (!active) {
                o.occupancyChanged(key, reading);
            }
        }
    }

    @Override
    public void refresh(ChannelKey key, String nodeId, List<io.rollcall.server.protocol.PresenceMessage> members) {
        Channel ch = held(key);
        if (ch != null) {
            ch.refresh(nodeId, members);
        }
    }

    @Override
    public void nodeGone(String nodeId, boolean reapedHere) {
        log.info("node {} is gone: its members leave, its connections stop counting", nodeId);
        forEachChannel(ch -> ch.nodeGone(nodeId, reapedHere));
    }

    @Override
    public void resync() {
        forEachChannel(Channel::reseed);
    }

    @Override
    public void takeOver(String connectionKey) {
        Connection c = findByKey(connectionKey);
        if (c == null) {
            return;
        }
        log.debug("connection {} resumed on another node: letting it go", c.id());
        Transport t = c.transport();
        discard(c);
        if (t != null) {
            t.sendAndClose(new EncodedMessage(ProtocolMessage.error(Action.DISCONNECTED, null,
                    new ErrorInfo(80008, 400, "Connection resumed on another node"))));
        }
    }

    @Override
    public List<Broker.ChannelShare> shares() {
        List<Broker.ChannelShare> out = new java.util.ArrayList<>();
        forEachChannel(ch -> out.add(ch.share()));
        return out;
    }

    /** A channel as the whole deployment sees it: from this node's replica when it holds it, else the engine. */
    public CompletableFuture<ChannelState> channelState(ChannelKey key) {
        Channel ch = held(key);
        if (ch != null && ch.isSeeded()) {
            return CompletableFuture.completedFuture(ch.state());
        }
        return broker.state(key);
    }

    /** Names of the app's channels active on any node, sorted. */
    public CompletableFuture<List<String>> activeChannels(String appId, java.util.function.Predicate<String> filter) {
        List<String> local = app(appId).activeChannelNames(filter);
        return broker.activeChannels(appId).thenApply(remote -> {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(local);
            for (String name : remote) {
                if (filter.test(name)) {
                    all.add(name);
                }
            }
            return List.copyOf(all);
        });
    }

    /** Compact JSON text for data fields such as occupancy metrics. */
    public String jsonText(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String randomId(int length) {
        return randomId(random, length);
    }

    private void sweep() {
        try {
            long idleBefore = clock.millis() - limits.channelRetention().toMillis();
            for (App app : apps.values()) {
                app.sweep(idleBefore);
            }
        } catch (RuntimeException e) {
            log.warn("channel sweep failed", e);
        }
    }

    /**
     * Graceful shutdown: every client is told DISCONNECTED (so it reconnects elsewhere rather than failing)
     * and its socket closed normally.
     */
    public void shutdown() {
        ProtocolMessage pm = new ProtocolMessage(Action.DISCONNECTED);
        pm.error = new ErrorInfo(80003, 503, "Server is shutting down; reconnect");
        EncodedMessage bye = new EncodedMessage(pm);
        for (Connection c : connections.values()) {
            Transport t = c.transport();
            if (t != null) {
                t.sendAndClose(bye);
            }
        }
        scheduler.shutdownNow();
        presenceSender.shutdown();
        broker.close();
    }
}
