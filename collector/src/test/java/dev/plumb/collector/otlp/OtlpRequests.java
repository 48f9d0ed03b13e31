package dev.plumb.collector.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;

/** Small OTLP requests built field by field, for tests that need exact control of the bytes. */
final class OtlpRequests {
    private OtlpRequests() {
    }

    static long nanosAgo(long seconds) {
        Instant t = Instant.now().minusSeconds(seconds);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static Span span(String traceIdHex, String spanIdHex, String name, long durationMs) {
        long start = nanosAgo(60);
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(OtlpIds.parseHex(traceIdHex)))
                .setSpanId(ByteString.copyFrom(OtlpIds.parseHex(spanIdHex)))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + durationMs * 1_000_000L)
                .build();
    }

    static ExportTraceServiceRequest traces(String service, Span... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span s : spans) {
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(scope)).build();
    }
}
