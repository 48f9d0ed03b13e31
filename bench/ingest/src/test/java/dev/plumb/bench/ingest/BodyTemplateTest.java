package dev.plumb.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class BodyTemplateTest {
    private static final long START = 1_700_000_000_000_000L;

    @Test
    void stampedProtobufCarriesTheRequestNumberInEveryId() throws Exception {
        BodyTemplate template = BodyTemplate.build(WireFormat.OTLP_PROTOBUF, 1, 4, 2, START, 5).get(0);

        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(template.stamp(0x01020304, START + 5_000_000));

        List<Span> spans = request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream()).toList();
        assertThat(spans).hasSize(40);
        assertThat(request.getResourceSpansCount()).isEqualTo(3);
        assertThat(spans).allSatisfy(s -> {
            assertThat(HexFormat.of().formatHex(s.getTraceId().toByteArray())).startsWith("01020304");
            assertThat(HexFormat.of().formatHex(s.getSpanId().toByteArray())).startsWith("01020304");
        });
        assertThat(spans.stream().map(s -> HexFormat.of().formatHex(s.getTraceId().toByteArray())).distinct())
                .containsExactlyInAnyOrderElementsOf(template.traceIds(0x01020304));
        // Traces 0 and 2 fail, each in 7 spans: the calls from frontend on, but not the database insert.
        assertThat(spans.stream().filter(s -> s.getStatus().getCodeValue() == 2)).hasSize(14);
        // Moved 5 s later than the template: the first root starts then, its CLIENT child 200 µs after.
        assertThat(spans.stream().mapToLong(Span::getStartTimeUnixNano).min().orElseThrow())
                .isEqualTo((START + 5_000_000) * 1_000);
        Span client = spans.stream().filter(s -> s.getName().equals("POST /orders")).findFirst().orElseThrow();
        assertThat(client.getStartTimeUnixNano()).isEqualTo((START + 5_000_000 + 200) * 1_000);
        assertThat(client.getEndTimeUnixNano() - client.getStartTimeUnixNano()).isGreaterThan(19_000_000);
    }

    @Test
    void stampedZipkinJsonKeepsParentsInsideTheirTrace() throws Exception {
        BodyTemplate template = BodyTemplate.build(WireFormat.ZIPKIN_JSON, 1, 2, 10, START, 5).get(0);

        JsonNode spans = new ObjectMapper().readTree(template.stamp(255, START));

        assertThat(spans).hasSize(20);
        List<String> ids = StreamSupport.stream(spans.spliterator(), false).map(s -> s.get("id").asText()).toList();
        assertThat(spans).allSatisfy(s -> {
            assertThat(s.get("traceId").asText()).startsWith("000000ff").hasSize(32);
            if (s.has("parentId")) {
                assertThat(ids).contains(s.get("parentId").asText());
            }
        });
        assertThat(spans.get(0).get("localEndpoint").get("serviceName").asText()).isEqualTo("frontend");
        assertThat(spans.get(0).get("tags").get("http.response.status_code").asText()).isEqualTo("502");
        assertThat(spans.get(0).get("timestamp").asLong()).isEqualTo(START);
        assertThat(spans.get(1).get("timestamp").asLong()).isEqualTo(START + 100);
    }

    @Test
    void otlpJsonWritesNanosAsStringsAndKindsAsNumbers() throws Exception {
        BodyTemplate template = BodyTemplate.build(WireFormat.OTLP_JSON, 1, 1, 2, START, 5).get(0);

        JsonNode span = new ObjectMapper().readTree(template.stamp(1, START + 1))
                .at("/resourceSpans/0/scopeSpans/0/spans/0");

        assertThat(span.get("startTimeUnixNano").isTextual()).isTrue();
        assertThat(span.get("startTimeUnixNano").asText()).isEqualTo((START + 1) * 1_000 + "");
        assertThat(span.get("kind").asInt()).isEqualTo(2);
        assertThat(span.get("traceId").asText()).startsWith("00000001");
    }
}
