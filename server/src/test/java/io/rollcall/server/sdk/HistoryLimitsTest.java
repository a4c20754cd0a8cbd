package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import io.ably.lib.types.Param;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** History is bounded per channel by size (historyMaxMessages) and by age (historyRetention), on either engine. */
class HistoryLimitsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(l -> l.historyMaxMessages(3).historyRetention(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keepsTheNewestUpToTheSizeBoundAndForgetsThemAfterTheRetention() throws Exception {
        AblyRest rest = AblyJava.rest(server.port(), TestServer.KEY, true);
        io.ably.lib.rest.Channel ch = rest.channels.get("history-limits");
        for (int i = 0; i < 5; i++) {
            ch.publish("n", "m" + i);
        }
        Message[] kept = ch.history(new Param[] {new Param("direction", "forwards")}).items();
        assertThat(Arrays.stream(kept).map(m -> m.data).toList()).containsExactly("m2", "m3", "m4");
        Await.until(() -> {
            try {
                return ch.history(null).items().length == 0;
            } catch (io.ably.lib.types.AblyException e) {
                throw new IllegalStateException(e);
            }
        }, "aged out after the retention");
        ch.publish("n", "fresh");
        assertThat(ch.history(null).items()).extracting(m -> m.data).containsExactly("fresh");
    }
}
