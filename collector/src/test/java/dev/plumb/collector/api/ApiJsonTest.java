package dev.plumb.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.red.RedPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
    @Test
    void writesTimesAsRfc3339AndUndefinedFiguresAsNull() {
        RedPoint empty = new RedPoint(Instant.parse("2024-05-01T12:00:00Z"), 0, 0, 0.0, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NaN);
        String json = new String(ApiJson.bytes(empty), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"ts\":\"2024-05-01T12:00:00Z\",\"requests\":0,\"errors\":0,"
                + "\"errorRate\":0.0,\"p50Ms\":null,\"p95Ms\":null,\"p99Ms\":null}");
    }
}
