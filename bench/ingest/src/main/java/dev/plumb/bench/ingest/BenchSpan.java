package dev.plumb.bench.ingest;

import java.util.Map;

/**
 * One span of a generated request body, independent of the wire format. Ids are lower-case
 * hex; {@code parentId} is empty for a root span. Times are epoch microseconds, Zipkin's unit;
 * the OTLP encodings multiply by 1,000.
 */
record BenchSpan(String traceId, String id, String parentId, String service, String name, Kind kind,
                 long startMicros, long durationMicros, boolean error, Map<String, String> tags) {

    /** The span kinds the bench uses, with their OTLP enum numbers. */
    enum Kind {
        INTERNAL(1), SERVER(2), CLIENT(3);

        final int otlp;

        Kind(int otlp) {
            this.otlp = otlp;
        }
    }
}
