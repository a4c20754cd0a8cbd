package io.rollcall.server.core;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.RawSocket;
import io.rollcall.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An idle channel is forgotten after channelRetention; an active one is kept. */
class ChannelRetentionTest {
    @Test
    void idleChannelsAreForgottenAndActiveOnesKept() {
        try (TestServer server = TestServer.start(l -> l.channelRetention(Duration.ofMillis(200)));
             RawSocket s = RawSocket.open(server.port(), "key=" + TestServer.KEY, false)) {
            s.next(4);
            s.send("{\"action\":10,\"channel\":\"kept\"}");
            s.next(11);
            s.send("{\"action\":10,\"channel\":\"dropped\"}");
            s.next(11);
            s.send("{\"action\":12,\"channel\":\"dropped\"}");
            s.next(13);
            App app = server.rollcall().node().app(TestServer.APP);
            Await.until(() -> app.existing("dropped") == null, "idle channel forgotten");
            org.assertj.core.api.Assertions.assertThat(app.existing("kept")).isNotNull();
        }
    }
}
