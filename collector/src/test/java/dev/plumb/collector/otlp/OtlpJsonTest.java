package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.Temporality;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OTLP JSON mapping from fixture files a person can read: hex ids, int64 strings, enum numbers. */
class OtlpJsonTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = OtlpJsonTest.class.getResourceAsStream("/otlp/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void logsKeepHexIdsSeverityAndFlattenedAttributes() throws IOException {
        Decoded d = Signal.LOGS.decode(OtlpJson.parse(Signal.LOGS, fixture("logs.json")), 42L);
        assertThat(d.rejected()).isZero();
        List<LogRow> logs = d.batch().logs();
        assertThat(logs).hasSize(2);
        LogRow error = logs.get(0);
        assertThat(error.service()).isEqualTo("payment");
        assertThat(error.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(error.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(error.severityNumber()).isEqualTo(17);
        assertThat(error.timeNanos()).isEqualTo(1_714_564_800_000_000_000L);
        assertThat(error.body()).isEqualTo("card declined");
        assertThat(error.attributes()).containsEntry("http.status_code", 402L)
                .containsEntry("retry", false)
                .containsEntry("card.brand", "visa")
                .containsEntry("amounts", List.of(12.5, 3.0));
        assertThat(error.resource()).containsEntry("k8s.namespace.name", "shop");
        LogRow noContext = logs.get(1);
        assertThat(noContext.traceId()).isEmpty();
        assertThat(noContext.timeNanos()).isEqualTo(1_714_564_801_000_000_000L);
        assertThat(noContext.body()).isEqualTo("{\"order\":\"A-17\",\"items\":3}");
    }

    @Test
    void metricsOfEveryKindDecode() throws IOException {
        Decoded d = Signal.METRICS.decode(OtlpJson.parse(Signal.METRICS, fixture("metrics.json")), 0L);
        List<MetricPoint> points = d.batch().metrics();
        assertThat(points).extracting(MetricPoint::type).containsExactly(MetricType.GAUGE, MetricType.SUM,
                MetricType.HISTOGRAM, MetricType.SUMMARY);
        MetricPoint sum = points.get(1);
        assertThat(sum.temporality()).isEqualTo(Temporality.DELTA);
        assertThat(sum.monotonic()).isTrue();
        assertThat(sum.value()).isEqualTo(12.0);
        MetricPoint histogram = points.get(2);
        assertThat(histogram.count()).isEqualTo(6);
        assertThat(histogram.bounds()).containsExactly(0.1, 0.5);
        assertThat(histogram.bucketCounts()).containsExactly(1L, 3L, 2L);
        assertThat(histogram.exemplars()).hasSize(1);
        assertThat(histogram.exemplars().get(0).traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(points.get(3).sum()).isEqualTo(9.5);
        assertThat(d.rejected()).isEqualTo(1);
        assertThat(d.rejectionMessage()).isEqualTo("histogram 'broken': 1 bucket counts for 2 bounds (needs bounds + 1)");
    }

    @Test
    void refusesIdsThatAreNeitherHexNorBase64() {
        byte[] body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not an id!\"}]}]}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OtlpJson.parse(Signal.TRACES, body))
                .isInstanceOf(RefusedRequestException.class)
                .hasMessageStartingWith("body is not an OTLP traces request");
    }
}
