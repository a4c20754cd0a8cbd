package io.rollcall.bench.jmh;

import io.rollcall.server.auth.Capability;
import io.rollcall.server.auth.Operation;
import io.rollcall.server.protocol.Flags;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Capability checks, done on every attach and every publish: a typical multi-resource capability. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CapabilityBenchmark {
    private final Capability capability = Capability.parse(
            "{\"rooms:*\":[\"subscribe\",\"presence\",\"channel-metadata\"],\"rooms:lobby\":[\"publish\"],"
                    + "\"private:alice:*\":[\"*\"],\"[meta]*\":[\"subscribe\"],\"notifications\":[\"subscribe\"]}");

    @Benchmark
    public boolean permitsWildcardHit() {
        return capability.permits("rooms:general::$chat", Operation.PRESENCE);
    }

    @Benchmark
    public boolean permitsMiss() {
        return capability.permits("other:channel", Operation.PUBLISH);
    }

    @Benchmark
    public int grantedModesOnAttach() {
        return capability.grantedModes("rooms:lobby", Flags.MODE_DEFAULT);
    }

    @Benchmark
    public Capability parseAndIntersect() {
        return Capability.all().intersect(Capability.parse("{\"rooms:*\":[\"subscribe\",\"presence\"]}"));
    }
}
