package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ChannelOptions;
import io.ably.lib.types.Message;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.Completion;
import io.rollcall.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message and presence history, untilAttach and rewind through ably-java 1.5.0, JSON and msgpack. */
class AblyJavaHistoryTest {
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

    AblyRealtime connected(boolean binary, String clientId, java.util.function.Consumer<io.ably.lib.types.ClientOptions> tweak) {
        AblyRealtime rt = AblyJava.realtime(server.port(), TestServer.KEY, binary, o -> {
            o.clientId = clientId;
            tweak.accept(o);
        });
        clients.add(rt);
        return AblyJava.connected(rt);
    }

    static void publish(Channel ch, String name, Object data) throws AblyException {
        Completion c = new Completion();
        ch.publish(name, data, c);
        c.ok();
    }

    /** Subscribes (collecting message data into the returned list), then attaches and waits for ATTACHED. */
    static List<Object> subscribedAndAttached(Channel ch) throws AblyException {
        List<Object> got = new CopyOnWriteArrayList<>();
        ch.subscribe(m -> got.add(m.data));
        Completion attached = new Completion();
        ch.attach(attached);
        attached.ok();
        return got;
    }

    /** A channel with the rewind param. */
    static Channel rewinding(AblyRealtime rt, String name, String rewind) throws AblyException {
        ChannelOptions opts = new ChannelOptions();
        opts.params = Map.of("rewind", rewind);
        return rt.channels.get(name, opts);
    }

    static List<Object> data(PaginatedResult<Message> page) {
        return Arrays.stream(page.items()).map(m -> m.data).toList();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void restHistoryPagesBothWaysWithMessagesAsPublished(boolean binary) throws Exception {
        String name = "history-pages-" + binary;
        AblyRealtime pub = connected(binary, "writer", o -> { });
        Channel ch = AblyJava.attached(pub, name);
        for (int i = 0; i < 7; i++) {
            publish(ch, "n" + i, "m" + i);
        }
        Channel binCh = AblyJava.attached(pub, name + "-bin");
        Completion bytes = new Completion();
        Message extra = new Message("bin", new byte[] {1, 2, (byte) 255});
        binCh.publish(new Message[] {extra}, bytes);
        bytes.ok();

        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        io.ably.lib.rest.Channel rch = rest.channels.get(name);
        PaginatedResult<Message> newest = rest.channels.get(name + "-bin").history(new Param[] {new Param("limit", "1")});
        Message bin = newest.items()[0];
        assertThat((byte[]) bin.data).containsExactly(1, 2, 255);
        assertThat(bin.name).isEqualTo("bin");
        assertThat(bin.clientId).isEqualTo("writer");
        assertThat(bin.connectionId).isEqualTo(pub.connection.id);
        assertThat(bin.id).startsWith(pub.connection.id + ":");
        assertThat(bin.timestamp).isPositive();

        PaginatedResult<Message> page = rch.history(new Param[] {new Param("limit", "3"), new Param("start", "0")});
        assertThat(data(page)).containsExactly("m6", "m5", "m4"); // start bounds but the default direction is backwards
        page = rch.history(new Param[] {new Param("limit", "3")});
        assertThat(data(page)).containsExactly("m6", "m5", "m4");
        page = page.next();
        assertThat(data(page)).containsExactly("m3", "m2", "m1");
        page = page.next();
        assertThat(data(page)).containsExactly("m0");
        assertThat(page.hasNext()).isFalse();

        PaginatedResult<Message> fwd = rch.history(new Param[] {new Param("limit", "5"), new Param("direction", "forwards")});
        assertThat(data(fwd)).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(fwd.hasNext()).isTrue();
        fwd = fwd.next();
        assertThat(fwd.items()).hasSize(2);
        assertThat(fwd.items()[0].data).isEqualTo("m5");
        assertThat(fwd.isLast()).isTrue();
        assertThat(data(fwd.first())).containsExactly("m0", "m1", "m2", "m3", "m4");

        Message[] all = rch.history(new Param[] {new Param("direction", "forwards")}).items();
        long t3 = all[3].timestamp;
        PaginatedResult<Message> after = rch.history(new Param[] {new Param("start", Long.toString(t3 + 1)),
                new Param("direction", "forwards")});
        assertThat(data(after)).containsExactlyElementsOf(
                Arrays.stream(all).filter(m -> m.timestamp > t3).map(m -> m.data).toList());
        PaginatedResult<Message> before = rch.history(new Param[] {new Param("end", Long.toString(all[0].timestamp - 1))});
        assertThat(before.items()).isEmpty();
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void historyNeedsTheHistoryCapability(boolean binary) {
        AblyRest rest = AblyJava.rest(server.port(), TestServer.LIMITED_KEY, binary);
        assertThatThrownBy(() -> rest.channels.get("history-denied").history(null))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.errorInfo.code).isEqualTo(40160));
        assertThatThrownBy(() -> rest.channels.get("history-denied").presence.history(null))
                .isInstanceOfSatisfying(AblyException.class, e -> assertThat(e.errorInfo.code).isEqualTo(40160));
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void untilAttachReadsUpToTheAttachPointAndLiveMessagesFollow(boolean binary) throws Exception {
        String name = "history-until-" + binary;
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        for (int i = 0; i < 3; i++) {
            rest.channels.get(name).publish("pre", "pre" + i);
        }
        AblyRealtime sub = connected(binary, "reader", o -> { });
        Channel ch = sub.channels.get(name);
        List<Object> live = subscribedAndAttached(ch);
        for (int i = 0; i < 2; i++) {
            rest.channels.get(name).publish("post", "post" + i);
        }
        Await.until(() -> live.size() == 2, "two live messages");
        assertThat(live).containsExactly("post0", "post1");
        PaginatedResult<Message> until = ch.history(new Param[] {new Param("untilAttach", "true")});
        assertThat(data(until)).containsExactly("pre2", "pre1", "pre0");
        PaginatedResult<Message> everything = ch.history(null);
        assertThat(data(everything)).containsExactly("post1", "post0", "pre2", "pre1", "pre0");
        PaginatedResult<Message> paged = ch.history(new Param[] {new Param("untilAttach", "true"), new Param("limit", "2")});
        assertThat(data(paged)).containsExactly("pre2", "pre1");
        assertThat(data(paged.next())).containsExactly("pre0");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void rewindDeliversTheLastMessagesBeforeLiveOnes(boolean binary) throws Exception {
        String name = "history-rewind-" + binary;
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        for (int i = 0; i < 5; i++) {
            rest.channels.get(name).publish("old", "old" + i);
        }
        AblyRealtime sub = connected(binary, "rewinder", o -> { });
        Channel ch = rewinding(sub, name, "3");
        List<Object> got = subscribedAndAttached(ch);
        assertThat(ch.getParams()).containsEntry("rewind", "3");
        rest.channels.get(name).publish("new", "new0");
        Await.until(() -> got.size() == 4, "three from history, then the live one");
        assertThat(got).containsExactly("old2", "old3", "old4", "new0");

        AblyRealtime timed = connected(binary, "rewinder2", o -> { });
        List<Object> got2 = subscribedAndAttached(rewinding(timed, name, "1m"));
        Await.until(() -> got2.size() == 6, "every message of the last minute");
        assertThat(got2).containsExactly("old0", "old1", "old2", "old3", "old4", "new0");
    }

    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void presenceHistoryListsEnterUpdateAndLeave(boolean binary) throws Exception {
        String name = "history-presence-" + binary;
        AblyRealtime rt = connected(binary, "pat", o -> { });
        Channel ch = AblyJava.attached(rt, name);
        AblyJava.enter(ch, "hello");
        Completion u = new Completion();
        ch.presence.update("busy", u);
        u.ok();
        Completion l = new Completion();
        ch.presence.leave("bye", l);
        l.ok();
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, binary);
        PaginatedResult<PresenceMessage> page = Await.value(() -> rest.channels.get(name).presence.history(null),
                p -> p.items().length == 3, "three presence events");
        assertThat(Arrays.stream(page.items()).map(p -> p.action + "/" + p.data).toList())
                .containsExactly("leave/bye", "update/busy", "enter/hello");
        assertThat(page.items()[0].clientId).isEqualTo("pat");
        assertThat(page.items()[0].connectionId).isEqualTo(rt.connection.id);
        PaginatedResult<PresenceMessage> fwd = rest.channels.get(name).presence.history(
                new Param[] {new Param("direction", "forwards"), new Param("limit", "2")});
        assertThat(Arrays.stream(fwd.items()).map(p -> p.action.name()).toList()).containsExactly("enter", "update");
        assertThat(fwd.next().items()[0].action).isEqualTo(PresenceMessage.Action.leave);
    }
}
