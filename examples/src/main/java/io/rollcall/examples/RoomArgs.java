package io.rollcall.examples;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import picocli.CommandLine.Option;

/** The command-line options every example shares: where the server is, the key, who you are, which room. */
final class RoomArgs {
    @Option(names = "--room", defaultValue = "lobby", description = "Room to join (default: ${DEFAULT-VALUE}).")
    String room;

    @Option(names = "--client", defaultValue = "${sys:user.name}", description = "Your clientId (default: your user name).")
    String clientId;

    @Option(names = "--key", required = true, defaultValue = "${env:ROLLCALL_KEY}",
            description = "API key appId.keyId:secret (env ROLLCALL_KEY), as `rollcall serve` prints it.")
    String key;

    @Option(names = "--host", defaultValue = "localhost")
    String host;

    @Option(names = "--port", defaultValue = "8080")
    int port;

    /** For tests: the options a command line would give. */
    static RoomArgs of(String room, String clientId, String key, String host, int port) {
        RoomArgs a = new RoomArgs();
        a.room = room;
        a.clientId = clientId;
        a.key = key;
        a.host = host;
        a.port = port;
        return a;
    }

    /** A realtime client for these options (plain WebSocket to the server, no Ably hosts). */
    AblyRealtime realtime() throws AblyException {
        ClientOptions o = new ClientOptions(key);
        o.realtimeHost = host;
        o.restHost = host;
        o.port = port;
        o.tls = false;
        o.clientId = clientId;
        o.logLevel = io.ably.lib.util.Log.NONE;
        return new AblyRealtime(o);
    }
}
