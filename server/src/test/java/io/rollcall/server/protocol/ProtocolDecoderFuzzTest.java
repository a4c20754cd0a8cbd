package io.rollcall.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the protocol decoder, JSON and msgpack: frames (ProtocolMessage), REST publish bodies
 * and trees. The first input byte picks format and entry point; the rest is the input. Properties: every input
 * decodes or is refused with a 4xxxx {@link AblyException} (nothing else escapes), and the memory a decode takes
 * is bounded by the input's size. Regression inputs (the seed corpus, with issue 13's frames) run with every
 * {@code mvn test}; {@code mvn verify} fuzzes for a short while (see the README for longer runs).
 */
class ProtocolDecoderFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Generous per input byte (a JSON '[' becomes a node, a list and an index), plus fixed parser buffers. */
    static final long BYTES_PER_INPUT_BYTE = 400;
    static final long FIXED_ALLOWANCE = 512 * 1024;
    /**
     * While fuzzing, Jazzer's hooks (comparison tracing on every String.equals of a field name) allocate on this
     * thread too; the bound is wider then, still far below what a hostile header declares (up to 4 GiB).
     */
    static final long INSTRUMENTATION_FACTOR = System.getenv("JAZZER_FUZZ") != null
            || System.getProperty("sun.java.command", "").startsWith("com.code_intelligence.jazzer.Jazzer") ? 8 : 1;

    @FuzzTest(maxDuration = "15s")
    void decode(byte[] data) {
        fuzzerTestOneInput(data);
    }

    /** Jazzer's entry point, also for a standalone long run. */
    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int selector = data[0] & 0xff;
        byte[] input = Arrays.copyOfRange(data, 1, data.length);
        ProtocolCodec codec = ProtocolCodec.of((selector & 1) == 0 ? WireFormat.JSON : WireFormat.MSGPACK);
        long bound = INSTRUMENTATION_FACTOR * (FIXED_ALLOWANCE + BYTES_PER_INPUT_BYTE * input.length);
        long allocated = decodeMeasured(codec, selector, input);
        if (allocated > bound) {
            // The first use of a path loads and initialises classes; a bomb allocates again, every time.
            allocated = decodeMeasured(codec, selector, input);
        }
        assertThat(allocated).as("bytes allocated decoding %d bytes", input.length).isLessThanOrEqualTo(bound);
    }

    /** Decodes as the selector says, checking the outcome; returns the bytes this thread allocated doing it. */
    private static long decodeMeasured(ProtocolCodec codec, int selector, byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            switch ((selector >> 1) % 3) {
                case 0 -> {
                    ProtocolMessage pm = codec.decode(input);
                    validate(pm.messages);
                    validate(pm.presence);
                }
                case 1 -> validate(codec.decodeMessages(input));
                default -> codec.decodeTree(input);
            }
        } catch (AblyException e) {
            assertThat(e.error().code()).as(e.error().message()).isBetween(40000, 40099);
            assertThat(e.error().statusCode()).isEqualTo(400);
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void validate(java.util.List<? extends BaseMessage> messages) {
        if (messages != null) {
            for (BaseMessage m : messages) {
                MessageEncoding.validate(m);
                PayloadSize.ofData(m.data);
            }
        }
    }
}
