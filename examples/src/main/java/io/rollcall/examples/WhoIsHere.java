package io.rollcall.examples;

import io.ably.lib.realtime.AblyRealtime;
import io.rollcall.chat.ChatClient;
import io.rollcall.chat.OccupancyData;
import io.rollcall.chat.PresenceMember;
import io.rollcall.chat.Room;
import io.rollcall.chat.RoomOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Joins a room, enters presence, and prints who is here and the room's occupancy whenever either changes.
 * Run a second one with another {@code --client} to watch them see each other; Ctrl-C leaves.
 */
@Command(name = "who-is-here", mixinStandardHelpOptions = true,
        description = "Join a Rollcall room and watch who is here, live.")
public final class WhoIsHere implements Callable<Integer> {
    @Mixin
    RoomArgs args = new RoomArgs();

    private final CountDownLatch stop = new CountDownLatch(1);
    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WhoIsHere()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        return run();
    }

    /** Runs until {@link #stop()}; separated from {@link #call()} so tests can drive it. */
    int run() throws Exception {
        AblyRealtime realtime = args.realtime();
        String room = args.room;
        try (ChatClient chat = new ChatClient(realtime)) {
            Room r = chat.rooms().get(room, RoomOptions.builder().occupancyEvents(true).build()).join();
            r.presence().subscribe(event -> {
                out.println("* " + event.member().clientId() + " " + event.type().wireValue() + status(event.member()));
                printWhoIsHere(r);
            });
            r.occupancy().subscribe(event -> printOccupancy(event.occupancy()));
            r.attach().join();
            r.presence().enter(Map.of("status", "online")).join();
            out.println("Joined room '" + room + "' as " + args.clientId + ". Ctrl-C to leave.");
            stop.await();
            r.presence().leave().join();
        } finally {
            realtime.close();
        }
        return 0;
    }

    void stop() {
        stop.countDown();
    }

    WhoIsHere output(PrintStream printStream) {
        this.out = printStream;
        return this;
    }

    private void printWhoIsHere(Room r) {
        r.presence().get().thenAccept(members -> {
            List<String> names = members.stream().map(PresenceMember::clientId).sorted().collect(Collectors.toList());
            out.println("here now: " + String.join(", ", names));
        });
    }

    /** Presence data is any JSON value; this example's members send an object with a "status". */
    private static String status(PresenceMember m) {
        return m.data() instanceof Map<?, ?> data && data.get("status") instanceof String s ? " (" + s + ")" : "";
    }

    private void printOccupancy(OccupancyData o) {
        out.println("occupancy: " + o.connections() + " connections, " + o.presenceMembers() + " present");
    }
}
