package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ChannelOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TcpProxy;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ably-java 1.5.0, unmodified, against Rollcall: JSON (binary=false) and msgpack (binary=true). */
class AblyJavaRealtimeTest {
    static TestServer server;
    final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(AblyRealtime::close);
    }

    AblyRealtime client(boolean binary, java.util.function.Consumer<io.ably.lib.types.ClientOptions> tweak) {
        AblyRealtime rt = AblyJava.realtime(server.port(), TestServer.KEY, binary, tweak);
        clients.add(rt);
        return rt;
    }

    AblyRealtime connectedClient(boolean binary, String clientId) {
        return AblyJava.connected(client(binary, o -> o.clientId = clientId));
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void connectsAndPings(boolean binary) throws Exception {
        AblyRealtime rt = connectedClient(binary, "alice");
        assertThat(rt.connection.id).isNotBlank();
        assertThat(rt.connection.key).isNotBlank();
        assertThat(rt.auth.clientId).isEqualTo("alice");
        Completion ping = new Completion();
        rt.connection.ping(ping);
        ping.ok();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void publishesAndSubscribesBetweenTwoClients(boolean binary) throws Exception {
        AblyRealtime sub = connectedClient(binary, "sub");
        AblyRealtime pub = connectedClient(!binary, "pub");
        String name = "pubsub-" + binary;
        Channel subCh = sub.channels.get(name);
        List<Message> got = new CopyOnWriteArrayList<>();
        Completion attached = new Completion();
        subCh.subscribe(got::add);
        subCh.attach(attached);
        attached.ok();

        Channel pubCh = pub.channels.get(name);
        Completion sent = new Completion();
        pubCh.publish(new Message[] {
            new Message("text", "hello"),
            new Message("bytes", new byte[] {1, 2, 3, (byte) 255}),
            new Message("json", new com.google.gson.JsonParser().parse("{\"a\":1}"))
        }, sent);
        sent.ok();

        Await.until(() -> got.size() == 3, "three messages");
        assertThat(got.get(0).data).isEqualTo("hello");
        assertThat((byte[]) got.get(1).data).containsExactly(1, 2, 3, 255);
        assertThat(got.get(2).data.toString()).isEqualTo("{\"a\":1}");
        for (Message m : got) {
            assertThat(m.clientId).isEqualTo("pub");
            assertThat(m.connectionId).isEqualTo(pub.connection.id);
            assertThat(m.id).startsWith(pub.connection.id + ":");
            assertThat(m.timestamp).isPositive();
        }
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void echoFalseSuppressesOwnMessages(boolean binary) throws Exception {
        AblyRealtime rt = AblyJava.connected(client(binary, o -> { o.clientId = "me"; o.echoMessages = false; }));
        Channel ch = rt.channels.get("echo-" + binary);
        List<Message> got = new CopyOnWriteArrayList<>();
        Completion attached = new Completion();
        ch.subscribe(got::add);
        ch.attach(attached);
        attached.ok();
        AblyRealtime other = connectedClient(binary, "other");
        Completion a = new Completion();
        ch.publish("mine", "x", a);
        a.ok();
        Completion b = new Completion();
        other.channels.get("echo-" + binary).publish("theirs", "y", b);
        b.ok();
        Await.until(() -> got.size() == 1, "other's message");
        assertThat(got.get(0).name).isEqualTo("theirs");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void capabilityDenialFailsTheChannelNotTheConnection(boolean binary) throws Exception {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.LIMITED_KEY, binary, o -> {}));
        clients.add(rt);
        // Subscribe is allowed everywhere, publish only on pub:*.
        Channel ch = rt.channels.get("open");
        Completion attached = new Completion();
        ch.attach(attached);
        attached.ok();
        Completion denied = new Completion();
        ch.publish("x", "y", denied);
        ErrorInfo err = denied.error();
        assertThat(err).isNotNull();
        assertThat(err.code).isEqualTo(40160);
        Completion allowed = new Completion();
        rt.channels.get("pub:ok").publish("x", "y", allowed);
        allowed.ok();
        assertThat(rt.connection.state).isEqualTo(ConnectionState.connected);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void attachWithoutAnyCapabilityIs40160(boolean binary) throws Exception {
        AblyRealtime rt = AblyJava.connected(client(binary, o -> {
            o.useTokenAuth = true;
            o.defaultTokenParams = new io.ably.lib.rest.Auth.TokenParams();
            o.defaultTokenParams.capability = "{\"allowed\":[\"subscribe\"]}";
        }));
        Channel ch = rt.channels.get("forbidden");
        Completion attached = new Completion();
        ch.attach(attached);
        ErrorInfo err = attached.error();
        assertThat(err.code).isEqualTo(40160);
        assertThat(ch.state).isEqualTo(ChannelState.failed);
        assertThat(rt.connection.state).isEqualTo(ConnectionState.connected);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void tokenRequestAuth(boolean binary) throws Exception {
        AblyRealtime rt = AblyJava.connected(client(binary, o -> { o.useTokenAuth = true; o.clientId = "tok"; }));
        assertThat(rt.auth.clientId).isEqualTo("tok");
        Channel ch = rt.channels.get("token-" + binary);
        Completion attached = new Completion();
        ch.attach(attached);
        attached.ok();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void jwtAuthFromAuthCallback(boolean binary) throws Exception {
        String keyName = TestServer.KEY.substring(0, TestServer.KEY.indexOf(':'));
        String secret = TestServer.KEY.substring(TestServer.KEY.indexOf(':') + 1);
        io.ably.lib.types.ClientOptions o = AblyJava.options(server.port(), null, binary);
        o.authCallback = params -> JWT.create()
                .withKeyId(keyName)
                .withIssuedAt(new java.util.Date())
                .withExpiresAt(new java.util.Date(System.currentTimeMillis() + 3_600_000))
                .withClaim("x-ably-capability", "{\"*\":[\"*\"]}")
                .withClaim("x-ably-clientId", "jwt-user")
                .sign(Algorithm.HMAC256(secret));
        AblyRealtime jwt = AblyJava.connected(AblyJava.realtime(o));
        clients.add(jwt);
        assertThat(jwt.auth.clientId).isEqualTo("jwt-user");
        Completion attached = new Completion();
        jwt.channels.get("jwt-" + binary).attach(attached);
        attached.ok();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void resumesAfterADroppedTransportWithoutLosingMessages(boolean binary) throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            AblyRealtime sub = AblyJava.connected(AblyJava.realtime(proxy.port(), TestServer.KEY, binary, o -> o.clientId = "sub"));
            clients.add(sub);
            AblyRealtime pub = connectedClient(binary, "pub");
            String name = "resume-" + binary;
            Channel subCh = sub.channels.get(name);
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            Completion attached = new Completion();
            subCh.subscribe(m -> got.add((String) m.data));
            subCh.attach(attached);
            attached.ok();
            String idBefore = sub.connection.id;

            proxy.cut();
            Channel pubCh = pub.channels.get(name);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Completion c = new Completion();
                pubCh.publish("n", "m" + i, c);
                c.ok();
                sent.add("m" + i);
            }
            Await.until(() -> got.size() >= 20, "all 20 messages after resume");
            assertThat(got).containsExactlyElementsOf(sent);
            assertThat(sub.connection.id).isEqualTo(idBefore);
            assertThat(sub.connection.state).isEqualTo(ConnectionState.connected);
        }
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void closeIsAcknowledged(boolean binary) throws Exception {
        AblyRealtime rt = connectedClient(binary, "closer");
        rt.close();
        Await.until(() -> rt.connection.state == ConnectionState.closed, "closed");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void channelParamsAndModesAreEchoed(boolean binary) throws Exception {
        AblyRealtime rt = connectedClient(binary, "modes");
        ChannelOptions opts = new ChannelOptions();
        opts.modes = new io.ably.lib.types.ChannelMode[] {io.ably.lib.types.ChannelMode.subscribe};
        Channel ch = rt.channels.get("modes-" + binary, opts);
        Completion attached = new Completion();
        ch.attach(attached);
        attached.ok();
        assertThat(ch.getModes()).containsExactly(io.ably.lib.types.ChannelMode.subscribe);
    }
}
