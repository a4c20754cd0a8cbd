package io.rollcall.examples;

import io.ably.lib.realtime.AblyRealtime;
import io.rollcall.chat.ChatClient;
import io.rollcall.chat.ChatException;
import io.rollcall.chat.ChatMessageEvent;
import io.rollcall.chat.HistoryParams;
import io.rollcall.chat.Message;
import io.rollcall.chat.MessageParams;
import io.rollcall.chat.MessageReactionSummary;
import io.rollcall.chat.MessageSubscription;
import io.rollcall.chat.PresenceMember;
import io.rollcall.chat.Room;
import io.rollcall.chat.RoomOptions;
import io.rollcall.chat.TypingSetEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A terminal chat between people in one room: messages (send, edit, delete), message reactions, room
 * reactions, typing and presence, all through the Java Chat SDK. Run two with different {@code --client}
 * names; anyone on @ably/chat in the same room takes part too. Type a line to send it; commands start with /.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat in a Rollcall room: messages, reactions, typing and who is here.")
public final class ChatDemo implements Callable<Integer> {
    static final String HELP = """
            Type a line and Enter to send it. Commands:
              /typing              say you are typing (others see it until you send, /stop, or 12 s pass)
              /stop                say you stopped typing
              /react EMOJI         react to the room, e.g. /react 🎉
              /like N [EMOJI]      react to message [N] (default 👍)
              /unlike N [EMOJI]    remove your reaction
              /edit N TEXT         edit message [N]
              /delete N            delete message [N]
              /who                 who is here
              /quit                leave""";

    @Mixin
    RoomArgs args = new RoomArgs();

    private PrintStream out = System.out;
    private Reader in = new InputStreamReader(System.in, StandardCharsets.UTF_8);
    /** Messages get short numbers, [1], [2], ..., in the order this terminal first sees them. */
    private final Map<String, Integer> numbers = new ConcurrentHashMap<>();
    private final Map<Integer, String> serials = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChatDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run();
    }

    ChatDemo io(Reader input, PrintStream output) {
        this.in = input;
        this.out = output;
        return this;
    }

    /** Runs until /quit or the end of input. */
    int run() throws Exception {
        AblyRealtime realtime = args.realtime();
        try (ChatClient chat = new ChatClient(realtime)) {
            Room room = chat.rooms().get(args.room, RoomOptions.builder()
                    .typingHeartbeatThrottle(Duration.ofSeconds(10)).build()).join();
            MessageSubscription messages = room.messages().subscribe(this::onMessage);
            room.messages().reactions().subscribe(e -> print("[" + number(e.messageSerial()) + "] reactions: " + reactions(e.reactions())));
            room.reactions().subscribe(e -> print("* " + e.reaction().clientId() + " reacted " + e.reaction().name()));
            room.typing().subscribe(this::onTyping);
            room.presence().subscribe(e -> {
                print("* " + e.member().clientId() + " " + e.type().wireValue() + status(e.member()));
                printWho(room);
            });
            room.attach().join();
            List<Message> earlier = new ArrayList<>(messages.historyBeforeSubscribe(HistoryParams.builder().limit(10).build()).join().items());
            java.util.Collections.reverse(earlier);
            earlier.forEach(m -> print(line(m)));
            room.presence().enter(Map.of("status", "online")).join();
            print("Joined room '" + args.room + "' as " + args.clientId + ". /help for commands.");
            BufferedReader lines = new BufferedReader(in);
            for (String line; (line = lines.readLine()) != null; ) {
                if (!handle(room, line.strip())) {
                    break;
                }
            }
            room.presence().leave().join();
        } finally {
            realtime.close();
        }
        return 0;
    }

    /** One line typed; false to leave. */
    private boolean handle(Room room, String line) {
        if (line.isEmpty()) {
            return true;
        }
        String[] w = line.split("\\s+", 3);
        try {
            switch (w[0]) {
                case "/quit" -> {
                    return false;
                }
                case "/help" -> print(HELP);
                case "/typing" -> room.typing().keystroke().join();
                case "/stop" -> room.typing().stop().join();
                case "/react" -> room.reactions().send(w.length > 1 ? w[1] : "🎉").join();
                case "/like" -> room.messages().reactions().send(serial(w), w.length > 2 ? w[2] : "👍").join();
                case "/unlike" -> room.messages().reactions().delete(serial(w), w.length > 2 ? w[2] : "👍").join();
                case "/edit" -> room.messages().update(serial(w), MessageParams.of(w.length > 2 ? w[2] : "")).join();
                case "/delete" -> room.messages().delete(serial(w)).join();
                case "/who" -> printWho(room);
                default -> {
                    if (line.startsWith("/")) {
                        print("unknown command " + w[0] + "; /help lists them");
                    } else {
                        room.messages().send(line).join();
                        room.typing().stop().join();
                    }
                }
            }
        } catch (CompletionException e) {
            print("! " + (e.getCause() instanceof ChatException c ? c.errorInfo().toString() : String.valueOf(e.getCause())));
        } catch (IllegalArgumentException e) {
            print("! " + e.getMessage());
        }
        return true;
    }

    private String serial(String[] w) {
        String serial = null;
        try {
            serial = w.length > 1 ? serials.get(Integer.parseInt(w[1])) : null;
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        if (serial == null) {
            throw new IllegalArgumentException("no message " + (w.length > 1 ? "[" + w[1] + "]" : "number given"));
        }
        return serial;
    }

    private void onMessage(ChatMessageEvent e) {
        print(line(e.message()));
    }

    private String line(Message m) {
        int n = number(m.serial());
        if (m.isDeleted()) {
            return "[" + n + "] (deleted by " + m.version().clientId() + ")";
        }
        String reactions = reactions(m.reactions());
        return "[" + n + "] " + m.clientId() + (m.isUpdated() ? " (edited)" : "") + ": " + m.text()
                + (reactions.isEmpty() ? "" : "   " + reactions);
    }

    private int number(String serial) {
        return numbers.computeIfAbsent(serial, s -> {
            int n = next.incrementAndGet();
            serials.put(n, s);
            return n;
        });
    }

    /** "👍 2  ❤️ 3": each reaction's total, whatever its kind. */
    private static String reactions(MessageReactionSummary r) {
        Map<String, Integer> totals = new TreeMap<>();
        r.unique().forEach((name, v) -> totals.merge(name, v.total(), Integer::sum));
        r.distinct().forEach((name, v) -> totals.merge(name, v.total(), Integer::sum));
        r.multiple().forEach((name, v) -> totals.merge(name, v.total(), Integer::sum));
        return totals.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("  "));
    }

    private void onTyping(TypingSetEvent e) {
        String who = e.change().clientId();
        if (who.equals(args.clientId)) {
            return;
        }
        print("... " + who + (e.change().type() == io.rollcall.chat.TypingEventType.STARTED ? " is typing" : " stopped typing"));
    }

    private void printWho(Room room) {
        CompletableFuture<List<PresenceMember>> members = room.presence().get();
        members.thenAccept(list -> print("here now: " + list.stream().map(PresenceMember::clientId).sorted().distinct()
                .collect(Collectors.joining(", "))));
    }

    /** This example's members send an object with a "status". */
    private static String status(PresenceMember m) {
        return m.data() instanceof Map<?, ?> data && data.get("status") instanceof String s ? " (" + s + ")" : "";
    }

    private synchronized void print(String line) {
        out.println(line);
    }
}
