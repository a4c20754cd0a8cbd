package io.rollcall.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rollcall <command>}: the launcher's entry point. */
@Command(name = "rollcall", mixinStandardHelpOptions = true, version = "rollcall 0.1.0",
        description = "Self-hosted realtime presence and occupancy, speaking Ably's protocol.",
        subcommands = {ServeCommand.class})
public final class RollcallCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RollcallCommand()).execute(args));
    }
}
