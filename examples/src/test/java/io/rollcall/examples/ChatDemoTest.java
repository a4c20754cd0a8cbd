package io.rollcall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.server.testing.Await;
import io.rollcall.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Two terminals of the chat demo in one room: each shows what the other says, reacts, types and who is here. */
class ChatDemoTest {

    /** One terminal: what is typed into it, and what it prints. */
    static final class Terminal {
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final PipedWriter keyboard = new PipedWriter();
        final Thread thread;

        Terminal(int port, String clientId) throws IOException {
            ChatDemo demo = new ChatDemo();
            demo.args = RoomArgs.of("demo-chat", clientId, TestServer.KEY, "localhost", port);
            demo.io(new PipedReader(keyboard), new PrintStream(screen, true, StandardCharsets.UTF_8));
            thread = new Thread(() -> {
                try {
                    demo.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "demo-" + clientId);
            thread.start();
        }

        void type(String line) {
            try {
                keyboard.write(line + "\n");
                keyboard.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void shows(String text, String what) {
            Await.until(() -> screen.toString(StandardCharsets.UTF_8).contains(text), what + ": '" + text + "' in\n" + screen());
        }

        String screen() {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoPeopleChat() throws Exception {
        try (TestServer server = TestServer.start()) {
            Terminal alice = new Terminal(server.port(), "alice");
            alice.shows("Joined room 'demo-chat' as alice", "alice joined");
            alice.type("hello before bob");
            alice.shows("[1] alice: hello before bob", "alice's own message");

            Terminal bob = new Terminal(server.port(), "bob");
            bob.shows("[1] alice: hello before bob", "bob sees what was said before he came");
            bob.shows("Joined room 'demo-chat' as bob", "bob joined");
            alice.shows("* bob enter (online)", "alice sees bob arrive");
            alice.shows("here now: alice, bob", "alice sees who is here");

            bob.type("/typing");
            alice.shows("... bob is typing", "alice sees bob typing");
            bob.type("hi alice");
            alice.shows("[2] bob: hi alice", "alice sees bob's message");
            alice.shows("... bob stopped typing", "sending stops typing");

            bob.type("/react 🎉");
            alice.shows("* bob reacted 🎉", "alice sees bob's room reaction");
            alice.type("/like 2 ❤️");
            bob.shows("[2] reactions: ❤️ 1", "bob sees alice's reaction to his message");
            bob.type("/like 2");
            alice.shows("[2] reactions: ❤️ 1  👍 1", "alice sees both reactions");

            bob.type("/edit 2 hi alice!");
            alice.shows("[2] bob (edited): hi alice!", "alice sees the edit");
            alice.type("/delete 1");
            bob.shows("[1] (deleted by alice)", "bob sees the delete");
            bob.type("/edit 9 nothing");
            bob.shows("! no message [9]", "bad numbers are reported");

            bob.type("/quit");
            bob.thread.join(20_000);
            assertThat(bob.thread.isAlive()).isFalse();
            alice.shows("* bob leave", "alice sees bob leave");
            alice.keyboard.close();
            alice.thread.join(20_000);
            assertThat(alice.thread.isAlive()).isFalse();
        }
    }
}
