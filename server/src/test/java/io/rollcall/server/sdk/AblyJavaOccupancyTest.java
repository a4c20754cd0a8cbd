package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ChannelMode;
import io.ably.lib.types.ChannelOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.HttpPaginatedResponse;
import io.ably.lib.types.Message;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Occupancy through ably-java 1.5.0: [meta]occupancy events decode, and metrics per granted mode. */
class AblyJavaOccupancyTest {
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

    AblyRealtime client(boolean binary, String clientId) {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.KEY, binary, o -> o.clientId = clientId));
        clients.add(rt);
        return rt;
    }

    static Channel attach(AblyRealtime rt, String name, ChannelOptions opts) throws Exception {
        return attach(channel(rt, name, opts));
    }

    static Channel attach(Channel ch) throws Exception {
        Completion c = new Completion();
        ch.attach(c);
        c.ok();
        return ch;
    }

    static ChannelOptions modes(ChannelMode... modes) {
        ChannelOptions o = new ChannelOptions();
        o.modes = modes;
        return o;
    }

    static ChannelOptions occupancy(String param) {
        ChannelOptions o = new ChannelOptions();
        o.params = Map.of("occupancy", param);
        return o;
    }

    static JsonObject metricsOf(Message m) {
        JsonObject data = m.data instanceof JsonObject j ? j : com.google.gson.JsonParser.parseString(m.data.toString()).getAsJsonObject();
        return data.getAsJsonObject("metrics");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void metricsEventsFollowModesAndPresence(boolean binary) throws Exception {
        String name = "occ-modes-" + binary;
        AblyRealtime watcher = client(binary, "watcher");
        List<Message> events = new CopyOnWriteArrayList<>();
        Channel watch = channel(watcher, name, occupancy("metrics"));
        watch.subscribe("[meta]occupancy", events::add);
        attach(watch);
        Await.until(() -> !events.isEmpty(), "first event after attach");
        JsonObject first = metricsOf(events.get(events.size() - 1));
        assertThat(first.get("connections").getAsInt()).isEqualTo(1);
        assertThat(first.keySet()).containsExactlyInAnyOrder("connections", "publishers", "subscribers",
                "presenceConnections", "presenceMembers", "presenceSubscribers", "objectPublishers", "objectSubscribers");

        attach(client(binary, "sub"), name, modes(ChannelMode.subscribe));
        attach(client(binary, "pub"), name, modes(ChannelMode.publish));
        Channel pres = attach(client(binary, "pres"), name, modes(ChannelMode.presence));
        Completion enter = new Completion();
        pres.presence.enter("x", enter);
        enter.ok();

        JsonObject last = Await.value(() -> metricsOf(events.get(events.size() - 1)),
                m -> m.get("connections").getAsInt() == 4 && m.get("presenceMembers").getAsInt() == 1, "four connections, one member");
        // watcher holds the default modes (publish, subscribe, presence, presence_subscribe).
        assertThat(last.get("publishers").getAsInt()).isEqualTo(2);
        assertThat(last.get("subscribers").getAsInt()).isEqualTo(2);
        assertThat(last.get("presenceConnections").getAsInt()).isEqualTo(2);
        assertThat(last.get("presenceSubscribers").getAsInt()).isEqualTo(1);
        assertThat(last.get("objectPublishers").getAsInt()).isZero();
        assertThat(last.get("objectSubscribers").getAsInt()).isZero();
        // Occupancy events carry no clientId or connectionId.
        assertThat(events.get(0).clientId).isNull();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void singleCategoryEventsCarryOnlyThatMetric(boolean binary) throws Exception {
        String name = "occ-single-" + binary;
        AblyRealtime watcher = client(binary, "w");
        List<Message> events = new CopyOnWriteArrayList<>();
        Channel ch = channel(watcher, name, occupancy("metrics.connections"));
        ch.subscribe("[meta]occupancy", events::add);
        attach(ch);
        attach(client(binary, "other"), name, modes(ChannelMode.subscribe));
        JsonObject m = Await.value(() -> events.isEmpty() ? null : metricsOf(events.get(events.size() - 1)),
                x -> x != null && x.get("connections").getAsInt() == 2, "two connections");
        assertThat(m.keySet()).containsExactly("connections");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void occupancyWithoutChannelMetadataCapabilityIs40160(boolean binary) throws Exception {
        AblyRealtime rt = AblyJava.connected(AblyJava.realtime(server.port(), TestServer.LIMITED_KEY, binary, o -> { }));
        clients.add(rt);
        Channel ch = channel(rt, "occ-denied-" + binary, occupancy("metrics"));
        Completion c = new Completion();
        ch.attach(c);
        ErrorInfo err = c.error();
        assertThat(err.code).isEqualTo(40160);
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void restChannelDetailsMatchTheChannel(boolean binary) throws Exception {
        String name = "occ-rest-" + binary;
        attach(client(binary, "a"), name, modes(ChannelMode.subscribe));
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        HttpPaginatedResponse res = rest.request("GET", "/channels/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8), null, null, null);
        assertThat(res.statusCode).isEqualTo(200);
        JsonElement[] items = res.items();
        JsonObject details = items[0].getAsJsonObject();
        assertThat(details.get("channelId").getAsString()).isEqualTo(name);
        JsonObject metrics = details.getAsJsonObject("status").getAsJsonObject("occupancy").getAsJsonObject("metrics");
        assertThat(metrics.get("connections").getAsInt()).isEqualTo(1);
        assertThat(metrics.get("subscribers").getAsInt()).isEqualTo(1);
        assertThat(metrics.get("publishers").getAsInt()).isZero();
        // An idle channel answers zeros, not 404.
        HttpPaginatedResponse idle = rest.request("GET", "/channels/never-used-" + binary, null, null, null);
        assertThat(idle.statusCode).isEqualTo(200);
        assertThat(idle.items()[0].getAsJsonObject().getAsJsonObject("status").get("isActive").getAsBoolean()).isFalse();
    }

    static Channel channel(AblyRealtime rt, String name, ChannelOptions opts) {
        try {
            return rt.channels.get(name, opts);
        } catch (io.ably.lib.types.AblyException e) {
            throw new AssertionError(e);
        }
    }
}
