package dev.plumb.bench.ingest;

import java.net.URI;
import java.time.Instant;

/** A server the bench sends spans to and counts them back from, through its own query API. */
interface SpanServer {

    /** Where a body of {@code format} is posted. */
    URI ingest(WireFormat format);

    /**
     * Traces of {@link TraceShape} the server answers for in the window, from its service map:
     * the calls from {@link TraceShape#CALLER} to {@link TraceShape#CALLEE}.
     */
    long storedTraces(Instant from, Instant to);

    /** How many spans the server returns for the trace; 0 when it does not know it. */
    int spansOf(String traceId);
}
