package dev.plumb.collector.cost;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a usage CSV (the import format) as a kubeletstats / k8s_cluster receiver would send
 * it: one real OpenTelemetry SDK meter provider per pod, with the pod as its resource, the
 * Kubernetes semantic-convention metrics as observable instruments, and a clock set to each
 * sample's time before the provider exports over OTLP/HTTP.
 */
final class KubeletUsageSender implements AutoCloseable {
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The SDK's clock, moved by hand. */
    static final class SampleClock implements Clock {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long now() {
            return nanos.get();
        }

        @Override
        public long nanoTime() {
            return nanos.get();
        }
    }

    /**
     * One pod: its provider, its own clock (so that the export at shutdown repeats the pod's
     * last sample rather than inventing a later one) and what its instruments report next.
     */
    private static final class Pod {
        final SampleClock clock = new SampleClock();
        SdkMeterProvider provider;
        volatile double[] row = new double[8];
        double sentRegion;
        double sentInternet;

    }

    private final String endpoint;
    private final Map<String, Pod> pods = new LinkedHashMap<>();

    KubeletUsageSender(int otlpHttpPort) {
        this.endpoint = "http://127.0.0.1:" + otlpHttpPort + "/v1/metrics";
    }

    /** Sends every row of {@code csv}, oldest first; returns the number of exports. */
    int replay(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        rows.sort((a, b) -> a[6].compareTo(b[6]));
        for (String[] r : rows) {
            Pod pod = pods.computeIfAbsent(r[0], name -> newPod(r));
            // Egress of a sample is what the counter gains before the pod's next sample.
            double[] v = {d(r[8]), d(r[9]), d(r[10]), d(r[11]), d(r[12]), pod.sentRegion, pod.sentInternet, 0};
            pod.sentRegion += d(r[13]);
            pod.sentInternet += d(r[14]);
            pod.row = v;
            Instant at = Instant.parse(r[6]);
            pod.clock.nanos.set(TimeUnit.SECONDS.toNanos(at.getEpochSecond()) + at.getNano());
            pod.provider.forceFlush().join(10, TimeUnit.SECONDS);
        }
        return rows.size();
    }

    private Pod newPod(String[] r) {
        AttributesBuilder resource = Attributes.builder()
                .put("k8s.pod.name", r[0])
                .put("k8s.namespace.name", r[1]);
        if (!r[2].isEmpty()) {
            resource.put("service.name", r[2]);
        }
        if (!r[3].isEmpty()) {
            resource.put("team", r[3]);
        }
        Pod pod = new Pod();
        pod.provider = SdkMeterProvider.builder()
                .setClock(pod.clock)
                .setResource(Resource.create(resource.build()))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                        .setEndpoint(endpoint).build()).setInterval(Duration.ofDays(1)).build())
                .build();
        Meter meter = pod.provider.get("kubeletstats");
        Attributes container = Attributes.of(AttributeKey.stringKey("k8s.container.name"), "app");
        meter.gaugeBuilder("k8s.pod.cpu.usage").setUnit("{cpu}").buildWithCallback(m -> m.record(pod.row[0]));
        meter.gaugeBuilder("k8s.container.cpu_request").setUnit("{cpu}")
                .buildWithCallback(m -> m.record(pod.row[1], container));
        meter.gaugeBuilder("k8s.pod.memory.working_set").setUnit("By").buildWithCallback(m -> m.record(pod.row[2]));
        meter.gaugeBuilder("k8s.container.memory.request").setUnit("By")
                .buildWithCallback(m -> m.record(pod.row[3], container));
        meter.gaugeBuilder("k8s.volume.capacity").setUnit("By").buildWithCallback(m -> {
            if (pod.row[4] > 0) {
                m.record(pod.row[4], Attributes.of(AttributeKey.stringKey("k8s.volume.name"), "data"));
            }
        });
        meter.counterBuilder("k8s.pod.network.io").ofDoubles().setUnit("By").buildWithCallback(m -> {
            m.record(pod.row[5], Attributes.of(AttributeKey.stringKey("direction"), "transmit",
                    AttributeKey.stringKey("interface"), "eth0"));
            m.record(pod.row[6], Attributes.of(AttributeKey.stringKey("direction"), "transmit",
                    AttributeKey.stringKey("interface"), "eth0", AttributeKey.stringKey("plumb.egress.scope"), "internet"));
        });
        return pod;
    }

    private static double d(String s) {
        return s.isEmpty() ? 0 : Double.parseDouble(s);
    }

    /** Bytes in a GiB, for readers of the CSV. */
    static double gib(double bytes) {
        return bytes / GIB;
    }

    @Override
    public void close() {
        pods.values().forEach(p -> p.provider.shutdown().join(5, TimeUnit.SECONDS));
    }
}
