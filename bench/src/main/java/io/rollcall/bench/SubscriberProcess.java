package io.rollcall.bench;

import io.rollcall.bench.LoadClient.WireConnection;
import io.rollcall.server.protocol.Action;
import io.rollcall.server.protocol.Flags;
import io.rollcall.server.protocol.Message;
import io.rollcall.server.protocol.WireFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A load process of its own, for more subscribers than one process may hold sockets: it opens {@code count}
 * subscribers spread over the given servers, attaches them to one channel and checks that each gets every
 * message once, in order. It talks to the parent ({@link ScaleOutScenario}) in lines: on stdout {@code READY},
 * then {@code D delivered duplicated outOfOrder} every 5 ms, and {@code H base64} (its latency histogram) when
 * asked; on stdin {@code L} (record latencies from now), {@code H} (send the histogram) and {@code Q} (quit).
 *
 * <p>Arguments: {@code count firstIndex format channel port...}. Subscriber {@code firstIndex + i} goes to
 * port {@code (firstIndex + i) % ports}.
 */
public final class SubscriberProcess {
    private SubscriberProcess() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int first = Integer.parseInt(args[1]);
        WireFormat format = WireFormat.fromQuery(args[2]);
        String channel = args[3];
        int[] ports = Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

        long[] lastSeq = new long[count];
        Arrays.fill(lastSeq, -1);
        AtomicLong delivered = new AtomicLong();
        AtomicLong duplicated = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        Histogram latency = new ConcurrentHistogram(3_600_000_000_000L, 3);
        java.util.concurrent.atomic.AtomicBoolean recordLatency = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch attached = new CountDownLatch(count);
        Swarm.Handler onMessage = (i, pm) -> {
            if (pm.action == Action.ATTACHED) {
                attached.countDown();
            } else if (pm.action == Action.MESSAGE && pm.messages != null) {
                for (Message m : pm.messages) {
                    String data = (String) m.data;
                    int colon = data.indexOf(':');
                    long seq = Long.parseLong(data, 0, colon, 10);
                    // Each subscriber's frames arrive on its own event loop, one at a time.
                    long last = lastSeq[i];
                    if (seq <= last) {
                        duplicated.incrementAndGet();
                    } else {
                        if (seq != last + 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeq[i] = seq;
                    }
                    delivered.incrementAndGet();
                    if (recordLatency.get()) {
                        long sent = Long.parseLong(data, colon + 1, data.length(), 10);
                        latency.recordValue(Math.max(0, System.nanoTime() - sent));
                    }
                }
            }
        };
        try (LoadClient client = new LoadClient(2)) {
            List<WireConnection> subs = new ArrayList<>(count);
            // Group by server so each Swarm batch targets one port; indices stay global for the spread.
            for (int k = 0; k < ports.length; k++) {
                List<Integer> mine = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    if ((first + i) % ports.length == k) {
                        mine.add(i);
                    }
                }
                subs.addAll(Swarm.connect(client, ports[k], mine.size(), format,
                        j -> Swarm.query("sub" + (first + mine.get(j))), (j, pm) -> onMessage.onMessage(mine.get(j), pm)));
            }
            for (WireConnection c : subs) {
                c.send(Swarm.attach(channel, Flags.SUBSCRIBE, null));
            }
            Swarm.await(attached, "subscribers attached");
            out.println("READY");
            Thread progress = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    out.println("D " + delivered.get() + " " + duplicated.get() + " " + outOfOrder.get());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "progress");
            progress.setDaemon(true);
            progress.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("Q"); ) {
                if (line.equals("L")) {
                    recordLatency.set(true);
                } else if (line.equals("H")) {
                    ByteBuffer b = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
                    int n = latency.encodeIntoCompressedByteBuffer(b);
                    out.println("H " + Base64.getEncoder().encodeToString(Arrays.copyOf(b.array(), n)));
                }
            }
            progress.interrupt();
            subs.forEach(WireConnection::close);
        }
    }
}
