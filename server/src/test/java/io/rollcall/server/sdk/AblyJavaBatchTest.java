package io.rollcall.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import io.ably.lib.types.PublishResponse;
import io.rollcall.server.testing.AblyJava;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch publish ({@code POST /messages}) through ably-java's {@code publishBatch}, which asks for API version 2:
 * one flat list of per-channel results, and a partial failure as 400/40020 with the list (which the SDK returns).
 */
class AblyJavaBatchTest {
    @ParameterizedTest(name = "binary={0}")
    @ValueSource(booleans = {false, true})
    void publishBatchAnswersPerChannelAndDelivers(boolean binary) throws Exception {
        String a = "pub:batch-a-" + binary;
        String b = "pub:batch-b-" + binary;
        try (TestServer server = TestServer.start()) {
            AblyRealtime sub = AblyJava.realtime(server.port(), TestServer.KEY, binary, o -> { });
            sub.connect();
            List<Object> got = new CopyOnWriteArrayList<>();
            AblyJava.attached(sub, a).subscribe(m -> got.add(a + "=" + m.data));
            AblyJava.attached(sub, b).subscribe(m -> got.add(b + "=" + m.data));
            AblyRest limited = AblyJava.rest(server.port(), TestServer.LIMITED_KEY, binary);

            PublishResponse[] ok = limited.publishBatch(new Message.Batch[] {
                new Message.Batch(new String[] {a, b}, new Message[] {new Message("n", "one")})}, null);
            assertThat(ok).extracting(r -> r.channelId).containsExactly(a, b);
            assertThat(ok).allSatisfy(r -> {
                assertThat(r.messageId).isNotBlank();
                assertThat(r.error).isNull();
            });

            // "other" is outside the limited key's publish capability: that channel fails, the rest go out.
            String other = "other-" + binary;
            PublishResponse[] partial = limited.publishBatch(new Message.Batch[] {
                new Message.Batch(new String[] {a, other}, new Message[] {new Message("n", "two")}),
                new Message.Batch(new String[] {b}, new Message[] {new Message("n", "three")})}, null);
            assertThat(partial).extracting(r -> r.channelId).containsExactly(a, other, b);
            assertThat(partial[0].error).isNull();
            assertThat(partial[1].error.code).isEqualTo(40160);
            assertThat(partial[1].error.statusCode).isEqualTo(401);
            assertThat(partial[2].messageId).isNotBlank();

            Await.until(() -> got.size() == 4, "four deliveries");
            assertThat(got).containsExactlyInAnyOrder(a + "=one", b + "=one", a + "=two", b + "=three");
            sub.close();
        }
    }
}
