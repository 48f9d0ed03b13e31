package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass OTLP JSON trace reader gives exactly the request that protobuf's own JSON
 * parser gives (after the hex ids are rewritten), and refuses what it refuses.
 */
class OtlpTraceJsonTest {
    @Test
    void readsEveryFieldAsProtobufsJsonParserDoes() throws IOException {
        byte[] body = OtlpJsonTest.fixture("traces.json");
        ExportTraceServiceRequest fast = OtlpTraceJson.parse(body);
        assertThat(fast).isEqualTo(OtlpJson.parseWithJsonFormat(Signal.TRACES, body));

        List<SpanRow> spans = Signal.TRACES.decode(fast, 0L).batch().spans();
        assertThat(spans).hasSize(2);
        SpanRow root = spans.get(0);
        assertThat(root.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(root.kind()).isEqualTo(SpanKind.SERVER);
        assertThat(root.durationNanos()).isEqualTo(250_000_000L);
        assertThat(root.status()).isEqualTo(StatusCode.ERROR);
        assertThat(root.attributes()).containsEntry("http.status_code", 402L).containsEntry("payload", "aGVsbG8=")
                .containsEntry("tags", List.of("a", 7L));
        assertThat(root.resource()).containsEntry("k8s.pod", "checkout-1").containsEntry("host.cpus", 4L);
        assertThat(root.links().get(0).spanId()).isEqualTo("0000000000000def");
        assertThat(spans.get(1).parentSpanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(spans.get(1).kind()).isEqualTo(SpanKind.CLIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"resourceSpans\": {}}",
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": \"soon\"}]}]}]}",
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": 36893488147419103232}]}]}]}",
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"spanId\": \"not an id!\"}]}]}]}",
        "{\"resourceSpans\": [{\"resource\": {\"attributes\": [{\"key\": \"a\", \"value\": {\"boolValue\": \"yes\"}}]}}]}",
    })
    void refusesWrongTypesLikeProtobufsParser(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OtlpJson.parseWithJsonFormat(Signal.TRACES, body))
                .isInstanceOf(RefusedRequestException.class);
        assertThatThrownBy(() -> OtlpTraceJson.parse(body)).isInstanceOf(RefusedRequestException.class)
                .hasMessageStartingWith("body is not an OTLP traces request");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"name\": 5}]}]}]}",
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"kind\": \"SPAN_KIND_SIDEWAYS\"}]}]}]}",
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"name\": null, \"status\": {}}]}]}], \"x\": 1}",
    })
    void acceptsWhatProtobufsParserAcceptsWithTheSameResult(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertThat(OtlpTraceJson.parse(body)).isEqualTo(OtlpJson.parseWithJsonFormat(Signal.TRACES, body));
    }

    @Test
    void saysATruncatedBodyIsNotJson() {
        byte[] body = "{\"resourceSpans\": [{\"scopeSpans\": [".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OtlpTraceJson.parse(body)).isInstanceOf(RefusedRequestException.class)
                .hasMessageStartingWith("body is not valid JSON");
    }
}
