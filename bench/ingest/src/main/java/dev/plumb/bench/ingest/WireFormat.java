package dev.plumb.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a request body carries spans: Zipkin v2 JSON, OTLP/HTTP JSON or OTLP/HTTP protobuf. */
enum WireFormat {
    ZIPKIN_JSON("zipkin", "/api/v2/spans", "application/json", true),
    OTLP_JSON("otlp-json", "/v1/traces", "application/json", true),
    OTLP_PROTOBUF("otlp-protobuf", "/v1/traces", "application/x-protobuf", false);

    private static final JsonFactory JSON = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();
    private static final String SCOPE = "plumb-bench";

    final String label;
    final String path;
    final String contentType;
    /** Ids travel as hex text (JSON) rather than raw bytes (protobuf). */
    final boolean hexIds;

    WireFormat(String label, String path, String contentType, boolean hexIds) {
        this.label = label;
        this.path = path;
        this.contentType = contentType;
        this.hexIds = hexIds;
    }

    byte[] encode(List<BenchSpan> spans) {
        return switch (this) {
            case ZIPKIN_JSON -> zipkin(spans);
            case OTLP_JSON -> otlpJson(spans);
            case OTLP_PROTOBUF -> otlpProtobuf(spans);
        };
    }

    private static byte[] zipkin(List<BenchSpan> spans) {
        return json(g -> {
            g.writeStartArray();
            for (BenchSpan s : spans) {
                g.writeStartObject();
                g.writeStringField("traceId", s.traceId());
                g.writeStringField("id", s.id());
                if (!s.parentId().isEmpty()) {
                    g.writeStringField("parentId", s.parentId());
                }
                if (s.kind() != BenchSpan.Kind.INTERNAL) {
                    g.writeStringField("kind", s.kind().name());
                }
                g.writeStringField("name", s.name());
                g.writeNumberField("timestamp", s.startMicros());
                g.writeNumberField("duration", s.durationMicros());
                g.writeObjectFieldStart("localEndpoint");
                g.writeStringField("serviceName", s.service());
                g.writeEndObject();
                g.writeObjectFieldStart("tags");
                for (Map.Entry<String, String> tag : s.tags().entrySet()) {
                    g.writeStringField(tag.getKey(), tag.getValue());
                }
                if (s.error()) {
                    // Zipkin's convention for a failed span: an "error" tag.
                    g.writeStringField("error", "card declined");
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** The OTLP JSON mapping: hex ids, 64-bit integers as strings, enums as numbers. */
    private static byte[] otlpJson(List<BenchSpan> spans) {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("resourceSpans");
            for (Map.Entry<String, List<BenchSpan>> service : byService(spans).entrySet()) {
                g.writeStartObject();
                g.writeObjectFieldStart("resource");
                g.writeArrayFieldStart("attributes");
                stringAttribute(g, "service.name", service.getKey());
                g.writeEndArray();
                g.writeEndObject();
                g.writeArrayFieldStart("scopeSpans");
                g.writeStartObject();
                g.writeObjectFieldStart("scope");
                g.writeStringField("name", SCOPE);
                g.writeEndObject();
                g.writeArrayFieldStart("spans");
                for (BenchSpan s : service.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("traceId", s.traceId());
                    g.writeStringField("spanId", s.id());
                    if (!s.parentId().isEmpty()) {
                        g.writeStringField("parentSpanId", s.parentId());
                    }
                    g.writeStringField("name", s.name());
                    g.writeNumberField("kind", s.kind().otlp);
                    g.writeStringField("startTimeUnixNano", Long.toString(s.startMicros() * 1_000));
                    g.writeStringField("endTimeUnixNano", Long.toString((s.startMicros() + s.durationMicros()) * 1_000));
                    g.writeArrayFieldStart("attributes");
                    for (Map.Entry<String, String> tag : s.tags().entrySet()) {
                        stringAttribute(g, tag.getKey(), tag.getValue());
                    }
                    g.writeEndArray();
                    if (s.error()) {
                        g.writeObjectFieldStart("status");
                        g.writeNumberField("code", Status.StatusCode.STATUS_CODE_ERROR_VALUE);
                        g.writeStringField("message", "card declined");
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static byte[] otlpProtobuf(List<BenchSpan> spans) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (Map.Entry<String, List<BenchSpan>> service : byService(spans).entrySet()) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName(SCOPE));
            for (BenchSpan s : service.getValue()) {
                Span.Builder span = Span.newBuilder()
                        .setTraceId(bytes(s.traceId()))
                        .setSpanId(bytes(s.id()))
                        .setName(s.name())
                        .setKindValue(s.kind().otlp)
                        .setStartTimeUnixNano(s.startMicros() * 1_000)
                        .setEndTimeUnixNano((s.startMicros() + s.durationMicros()) * 1_000);
                if (!s.parentId().isEmpty()) {
                    span.setParentSpanId(bytes(s.parentId()));
                }
                s.tags().forEach((k, v) -> span.addAttributes(attribute(k, v)));
                if (s.error()) {
                    span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                            .setMessage("card declined"));
                }
                scope.addSpans(span);
            }
            request.addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service.getKey())))
                    .addScopeSpans(scope));
        }
        return request.build().toByteArray();
    }

    private static Map<String, List<BenchSpan>> byService(List<BenchSpan> spans) {
        Map<String, List<BenchSpan>> out = new LinkedHashMap<>();
        for (BenchSpan s : spans) {
            out.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HEX.parseHex(hex));
    }

    private static void stringAttribute(JsonGenerator g, String key, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        g.writeObjectFieldStart("value");
        g.writeStringField("stringValue", value);
        g.writeEndObject();
        g.writeEndObject();
    }

    private interface JsonBody {
        void write(JsonGenerator generator) throws IOException;
    }

    private static byte[] json(JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a bench body", e);
        }
        return out.toByteArray();
    }
}
