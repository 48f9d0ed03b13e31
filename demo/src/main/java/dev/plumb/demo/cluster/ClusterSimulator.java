package dev.plumb.demo.cluster;

import dev.plumb.demo.launch.OrphanGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends simulated Kubernetes usage for the demo services as OTLP metrics, the way a kubelet
 * stats receiver would: per pod CPU and memory usage, requests, transmitted bytes, and the
 * volumes of the stateful service. At start it backfills the last two weeks of hourly samples
 * with their real timestamps ({@link UsageBackfill}, the story in {@link ClusterStory}), so
 * that trend, drivers, benchmark and anomalies have history at once; then it reports live every
 * {@code PLUMB_DEMO_USAGE_INTERVAL} seconds (default 10). It runs without the agent and uses
 * the OpenTelemetry SDK directly for the live samples, one meter provider per pod because each
 * pod is its own resource.
 */
public final class ClusterSimulator {

    private static final Logger log = LoggerFactory.getLogger(ClusterSimulator.class);
    private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");
    private static final AttributeKey<String> NETWORK_IO_DIRECTION = AttributeKey.stringKey("network.io.direction");
    private static final Attributes TRANSMIT = Attributes.of(DIRECTION, "transmit", NETWORK_IO_DIRECTION, "transmit");

    private ClusterSimulator() {
    }

    public static void main(String[] args) throws InterruptedException {
        OrphanGuard.exitWithLauncher();
        String endpoint = System.getenv().getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
                .replaceAll("/+$", "");
        Duration interval = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("PLUMB_DEMO_USAGE_INTERVAL", "10")));
        ClusterStory story = ClusterStory.at(Instant.now());
        backfill(story, URI.create(endpoint + "/v1/metrics"));
        List<SdkMeterProvider> providers = new ArrayList<>();
        for (SimulatedPod pod : story.pods()) {
            providers.add(report(story, pod, endpoint, interval));
        }
        log.info("reporting usage of {} pods to {} every {} s", providers.size(), endpoint, interval.toSeconds());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            flushAll(providers);
            stopped.countDown();
        }, "cluster-simulator-stop"));
        stopped.await();
    }

    /** Sends the history; without it the live samples still make costs, only without a past. */
    private static void backfill(ClusterStory story, URI metricsUrl) throws InterruptedException {
        long started = System.nanoTime();
        try {
            UsageBackfill.send(UsageBackfill.request(story), metricsUrl, Duration.ofSeconds(60));
            log.info("backfilled hourly usage of {} pods from {} to {} in {} ms", story.pods().size(),
                    story.historyStart(), story.historyEnd(), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            log.warn("no usage history: {}; reporting live usage only", e.getMessage());
        }
    }

    /**
     * Flushes the last samples so the collector sees the pods' full running time. Each provider's
     * shutdown blocks while its exporter retries, so they run side by side: a collector that is
     * already gone costs one export timeout, not one per pod.
     */
    private static void flushAll(List<SdkMeterProvider> providers) {
        List<Thread> flushes = new ArrayList<>();
        for (SdkMeterProvider provider : providers) {
            Thread flush = new Thread(provider::shutdown, "flush-pod");
            flush.setDaemon(true);
            flush.start();
            flushes.add(flush);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        for (Thread flush : flushes) {
            try {
                flush.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static SdkMeterProvider report(ClusterStory story, SimulatedPod pod, String endpoint, Duration interval) {
        AttributesBuilder attributes = Attributes.builder();
        pod.resourceAttributes().forEach(attributes::put);
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint + "/v1/metrics")
                .setTimeout(Duration.ofSeconds(5))
                .build();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.create(attributes.build()))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(interval).build())
                .build();
        Meter meter = provider.get(UsageBackfill.SCOPE);

        meter.gaugeBuilder("k8s.pod.cpu.usage").setUnit("{cpu}")
                .setDescription("CPU cores the pod uses")
                .buildWithCallback(m -> m.record(story.usage(pod, Instant.now()).cpuCores()));
        meter.gaugeBuilder("k8s.pod.memory.working_set").setUnit("By").ofLongs()
                .setDescription("Memory working set of the pod")
                .buildWithCallback(m -> m.record(story.usage(pod, Instant.now()).memoryBytes()));
        meter.gaugeBuilder("k8s.container.cpu_request").setUnit("{cpu}")
                .setDescription("CPU cores the container requests")
                .buildWithCallback(m -> m.record(pod.cpuRequestCores()));
        meter.gaugeBuilder("k8s.container.memory_request").setUnit("By").ofLongs()
                .setDescription("Memory the container requests")
                .buildWithCallback(m -> m.record(pod.memoryRequestBytes()));

        // A new counter from zero, as a restarted process's: the drop below the history's last value
        // reads as a reset, so a second demo run over the same history does not count its bytes again.
        AtomicLong transmitted = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong(System.nanoTime());
        meter.counterBuilder("k8s.pod.network.io").setUnit("By")
                .setDescription("Bytes the pod sent, cumulative")
                .buildWithCallback(m -> {
                    long now = System.nanoTime();
                    double seconds = (now - lastNanos.getAndSet(now)) / 1e9;
                    long perSecond = story.usage(pod, Instant.now()).transmitBytesPerSecond();
                    m.record(transmitted.addAndGet(Math.round(perSecond * seconds)), TRANSMIT);
                });
        if (pod.stateful()) {
            Attributes volume = Attributes.builder()
                    .put("k8s.volume.name", pod.service() + "-data")
                    .put("k8s.volume.type", "persistentVolumeClaim")
                    .build();
            meter.gaugeBuilder("k8s.volume.capacity").setUnit("By").ofLongs()
                    .setDescription("Capacity of the pod's persistent volume")
                    .buildWithCallback(m -> m.record(story.usage(pod, Instant.now()).volumeBytes(), volume));
        }
        return provider;
    }
}
