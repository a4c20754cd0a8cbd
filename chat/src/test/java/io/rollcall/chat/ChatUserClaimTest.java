package io.rollcall.chat;

import static io.rollcall.chat.ChatFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A JWT claim {@code ably.room.<room>} reaches others as the userClaim of messages, room reactions and typing. */
class ChatUserClaimTest {
    @RegisterExtension
    static final ChatFixture fx = ChatFixture.perClass();

    @Test
    void roomClaimIsOnMessagesReactionsAndTyping() {
        String name = "claims";
        String keyName = TestServer.KEY.substring(0, TestServer.KEY.indexOf(':'));
        String secret = TestServer.KEY.substring(TestServer.KEY.indexOf(':') + 1);
        ChatClient moderator = fx.client(fx.server.port(), null, null, true, o -> o.authCallback = params -> JWT.create()
                .withKeyId(keyName)
                .withIssuedAt(new Date())
                .withExpiresAt(new Date(System.currentTimeMillis() + 3_600_000))
                .withClaim("x-ably-capability", "{\"*\":[\"*\"]}")
                .withClaim("x-ably-clientId", "mod")
                .withClaim("ably.room." + name, "moderator")
                .sign(Algorithm.HMAC256(secret)), ChatClientOptions.defaults());
        Room mod = join(moderator.rooms().get(name));
        join(mod.attach());
        Room bob = fx.attachedRoom(name, "bob", false);
        List<ChatMessageEvent> messages = new CopyOnWriteArrayList<>();
        List<RoomReaction> reactions = new CopyOnWriteArrayList<>();
        List<TypingSetEvent> typing = new CopyOnWriteArrayList<>();
        bob.messages().subscribe(messages::add);
        bob.reactions().subscribe(e -> reactions.add(e.reaction()));
        bob.typing().subscribe(typing::add);

        Message sent = join(mod.messages().send("hello"));
        assertThat(sent.userClaim()).isEqualTo("moderator");
        join(mod.reactions().send("🎉"));
        join(mod.typing().keystroke());
        Await.until(() -> messages.size() == 1 && reactions.size() == 1 && typing.size() == 1, "bob sees all three");
        assertThat(messages.get(0).message().userClaim()).isEqualTo("moderator");
        assertThat(reactions.get(0).userClaim()).isEqualTo("moderator");
        assertThat(typing.get(0).change().userClaim()).isEqualTo("moderator");
        assertThat(bob.typing().currentTypers()).containsExactly(new TypingMember("mod", "moderator"));
        assertThat(join(bob.messages().get(sent.serial())).userClaim()).isEqualTo("moderator");

        // A message from a key holder has none.
        Message plain = join(bob.messages().send("hi"));
        assertThat(plain.userClaim()).isNull();
    }
}
