package dev.plumb.bench.agent;

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

/**
 * One call of an instrumented trivial method. Which agent instruments it is decided by the JVM
 * arguments {@link AgentBench} forks with, so the same code is measured under each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class TrivialMethodBench {

    private final Service service = new Service();
    private int value;

    @Benchmark
    public int monitored() {
        return service.work(value++);
    }

    @Benchmark
    public int metricsOnly() {
        return service.count(value++);
    }
}
