package dev.plumb.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** A Zipkin server: v2 JSON in at {@code /api/v2/spans}, counted back through {@code /api/v2/dependencies}. */
final class ZipkinServer implements SpanServer {
    private final URI base;
    private final JsonApi api;

    ZipkinServer(URI base, JsonApi api) {
        this.base = base;
        this.api = api;
    }

    @Override
    public URI ingest(WireFormat format) {
        if (format != WireFormat.ZIPKIN_JSON) {
            throw new IllegalArgumentException("Zipkin takes " + WireFormat.ZIPKIN_JSON.label + ", not " + format.label);
        }
        return base.resolve(format.path);
    }

    @Override
    public long storedTraces(Instant from, Instant to) {
        long lookback = Duration.between(from, to).toMillis();
        JsonNode links = api.get(base.resolve("/api/v2/dependencies?endTs=" + to.toEpochMilli() + "&lookback=" + lookback));
        long calls = 0;
        // Only this edge: Zipkin 3.5.1's in-memory linker also reports frontend->frontend links for these traces.
        for (JsonNode link : links) {
            if (link.path("parent").asText().equals(TraceShape.CALLER) && link.path("child").asText().equals(TraceShape.CALLEE)) {
                calls += link.path("callCount").asLong();
            }
        }
        return calls;
    }

    @Override
    public int spansOf(String traceId) {
        JsonNode spans = api.get(base.resolve("/api/v2/trace/" + traceId));
        return spans == null ? 0 : spans.size();
    }
}
