package dev.plumb.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;

/** A Plumb collector: OTLP/HTTP in at {@code /v1/traces}, counted back through {@code /api/v1/service-map}. */
final class PlumbServer implements SpanServer {
    private final URI otlpHttp;
    private final URI api;
    private final JsonApi json;

    PlumbServer(URI otlpHttp, URI api, JsonApi json) {
        this.otlpHttp = otlpHttp;
        this.api = api;
        this.json = json;
    }

    @Override
    public URI ingest(WireFormat format) {
        if (format == WireFormat.ZIPKIN_JSON) {
            throw new IllegalArgumentException("Plumb takes OTLP, not " + format.label);
        }
        return otlpHttp.resolve(format.path);
    }

    @Override
    public long storedTraces(Instant from, Instant to) {
        JsonNode map = json.get(api.resolve("/api/v1/service-map?from=" + from.toEpochMilli() + "&to=" + to.toEpochMilli()));
        long calls = 0;
        for (JsonNode edge : map.path("edges")) {
            if (edge.path("from").asText().equals(TraceShape.CALLER) && edge.path("to").asText().equals(TraceShape.CALLEE)) {
                calls += edge.path("calls").asLong();
            }
        }
        return calls;
    }

    @Override
    public int spansOf(String traceId) {
        JsonNode trace = json.get(api.resolve("/api/v1/traces/" + traceId));
        return trace == null ? 0 : count(trace.path("spans"));
    }

    private static int count(JsonNode nodes) {
        int n = 0;
        for (JsonNode node : nodes) {
            n += 1 + count(node.path("children"));
        }
        return n;
    }
}
