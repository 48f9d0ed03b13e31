package dev.plumb.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real collector on loopback, with a tiny count: what it sends is what it counts back. */
class LoadAgainstCollectorTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyAcceptedTraceIsCountedBackInBothOtlpEncodings(@TempDir Path data) {
        try (Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data))) {
            PlumbServer plumb = new PlumbServer(URI.create("http://127.0.0.1:" + collector.otlpHttpPort()),
                    URI.create("http://127.0.0.1:" + collector.httpPort()), new JsonApi(http));
            AtomicInteger numbers = new AtomicInteger(1);
            long start = Instant.now().toEpochMilli() * 1_000;
            long spans = 0;
            for (WireFormat format : List.of(WireFormat.OTLP_JSON, WireFormat.OTLP_PROTOBUF)) {
                List<BodyTemplate> templates = BodyTemplate.build(format, 2, 3, 3, start, 1);
                LoadLevel.Result result = new LoadLevel(http, plumb.ingest(format), templates, numbers)
                        .run(2, Duration.ofSeconds(30), 5);
                assertThat(result.failed()).as(result.firstFailure()).isZero();
                assertThat(result.requests()).isEqualTo(5);
                spans += result.spans();
            }

            assertThat(spans).isEqualTo(10 * 3 * TraceShape.SPANS_PER_TRACE);
            Instant now = Instant.now();
            assertThat(plumb.storedTraces(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)))).isEqualTo(30);
            String stamped = templateTrace(WireFormat.OTLP_PROTOBUF, 7, start);
            assertThat(plumb.spansOf(stamped)).isEqualTo(TraceShape.SPANS_PER_TRACE);
            assertThat(plumb.spansOf("00000063" + stamped.substring(8))).isZero();
        }
    }

    /** The first trace id of request {@code number}'s body (the same templates as sent above). */
    private static String templateTrace(WireFormat format, int number, long start) {
        List<BodyTemplate> templates = BodyTemplate.build(format, 2, 3, 3, start, 1);
        return templates.get(number % templates.size()).traceIds(number).get(0);
    }
}
