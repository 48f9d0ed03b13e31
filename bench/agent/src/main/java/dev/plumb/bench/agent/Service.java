package dev.plumb.bench.agent;

import dev.plumb.Monitor;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The measured methods: as trivial as a method can be, so that what the benchmark sees is the
 * instrumentation. Each agent reads only its own annotation.
 */
public class Service {

    /** A span and a histogram observation per call under Plumb; a span under OpenTelemetry's agent. */
    @Monitor
    @WithSpan
    public int work(int value) {
        return value + 1;
    }

    /** The histogram observation alone, the path that must not allocate. */
    @Monitor(span = false)
    public int count(int value) {
        return value + 1;
    }
}
