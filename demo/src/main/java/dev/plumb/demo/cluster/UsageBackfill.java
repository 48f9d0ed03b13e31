package dev.plumb.demo.cluster;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The cluster's history as one OTLP/HTTP metrics export, with the samples' real past
 * timestamps, in the shape the kubeletstats and k8s_cluster receivers give them. Built from
 * the protobuf classes directly: the SDK stamps every point with its clock's present.
 */
final class UsageBackfill {
    static final String SCOPE = "dev.plumb.demo.cluster";
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private UsageBackfill() {
    }

    /** Every pod's hourly samples over the story's history. */
    static ExportMetricsServiceRequest request(ClusterStory story) {
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        for (SimulatedPod pod : story.pods()) {
            List<PodSample> samples = story.history(pod);
            if (samples.isEmpty()) {
                continue;
            }
            ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName(SCOPE))
                    .addMetrics(gauge("k8s.pod.cpu.usage", "{cpu}", samples, List.of(),
                            (p, s) -> p.setAsDouble(s.usage().cpuCores())))
                    .addMetrics(gauge("k8s.pod.memory.working_set", "By", samples, List.of(),
                            (p, s) -> p.setAsInt(s.usage().memoryBytes())))
                    .addMetrics(gauge("k8s.container.cpu_request", "{cpu}", samples, List.of(),
                            (p, s) -> p.setAsDouble(pod.cpuRequestCores())))
                    .addMetrics(gauge("k8s.container.memory_request", "By", samples, List.of(),
                            (p, s) -> p.setAsInt(pod.memoryRequestBytes())))
                    .addMetrics(transmitted(samples));
            if (pod.stateful()) {
                scope.addMetrics(gauge("k8s.volume.capacity", "By", samples, List.of(
                        text("k8s.volume.name", pod.service() + "-data"),
                        text("k8s.volume.type", "persistentVolumeClaim")), (p, s) -> p.setAsInt(s.usage().volumeBytes())));
            }
            request.addResourceMetrics(ResourceMetrics.newBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(resource(pod)))
                    .addScopeMetrics(scope));
        }
        return request.build();
    }

    /**
     * POSTs {@code request} to {@code metricsUrl} (an OTLP/HTTP {@code /v1/metrics} endpoint),
     * retrying while the collector is not up yet or asks to retry, for at most {@code patience}.
     */
    static void send(ExportMetricsServiceRequest request, URI metricsUrl, Duration patience)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest post = HttpRequest.newBuilder(metricsUrl)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                .build();
        Instant giveUp = Instant.now().plus(patience);
        while (true) {
            String problem;
            HttpResponse<String> response = null;
            try {
                response = http.send(post, HttpResponse.BodyHandlers.ofString());
                problem = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                problem = e.toString();
            }
            if (response != null && response.statusCode() / 100 == 2) {
                return;
            }
            if (response != null && !retryable(response.statusCode())) {
                throw new IOException(metricsUrl + " refused the usage history: " + problem);
            }
            if (Instant.now().plus(RETRY_EVERY).isAfter(giveUp)) {
                throw new IOException("cannot send the usage history to " + metricsUrl + " within "
                        + patience.toSeconds() + " s: " + problem);
            }
            Thread.sleep(RETRY_EVERY.toMillis());
        }
    }

    private static List<KeyValue> resource(SimulatedPod pod) {
        return pod.resourceAttributes().entrySet().stream().map(e -> text(e.getKey(), e.getValue())).toList();
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** A gauge with one point per sample, its value set by {@code value} (as a double or an integer). */
    private static Metric gauge(String name, String unit, List<PodSample> samples, List<KeyValue> attributes,
                                BiConsumer<NumberDataPoint.Builder, PodSample> value) {
        return Metric.newBuilder().setName(name).setUnit(unit)
                .setGauge(Gauge.newBuilder().addAllDataPoints(points(samples, attributes, s -> {
                    NumberDataPoint.Builder point = point(s);
                    value.accept(point, s);
                    return point;
                })))
                .build();
    }

    /** The cumulative transmit counter, started at the pod's first sample. */
    private static Metric transmitted(List<PodSample> samples) {
        long start = nanos(samples.get(0).time());
        List<KeyValue> transmit = List.of(text("direction", "transmit"), text("network.io.direction", "transmit"));
        return Metric.newBuilder().setName("k8s.pod.network.io").setUnit("By")
                .setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addAllDataPoints(points(samples, transmit,
                                s -> point(s).setStartTimeUnixNano(start).setAsInt(s.transmittedBytes()))))
                .build();
    }

    private static List<NumberDataPoint> points(List<PodSample> samples, List<KeyValue> attributes,
                                                Function<PodSample, NumberDataPoint.Builder> point) {
        return samples.stream().map(s -> point.apply(s).addAllAttributes(attributes).build()).toList();
    }

    private static NumberDataPoint.Builder point(PodSample sample) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(nanos(sample.time()));
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
