package dev.plumb.demo.cluster;

import dev.plumb.demo.launch.OrphanGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends simulated Kubernetes usage for the demo services as OTLP metrics, the way a kubelet
 * stats receiver would: per pod CPU and memory usage, requests, transmitted bytes, and the
 * volume of the stateful service, every {@code PLUMB_DEMO_USAGE_INTERVAL} seconds (default 10).
 * It runs without the agent and uses the OpenTelemetry SDK directly, one meter provider per pod
 * because each pod is its own resource.
 */
public final class ClusterSimulator {

    private static final Logger log = LoggerFactory.getLogger(ClusterSimulator.class);
    private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");
    private static final AttributeKey<String> NETWORK_IO_DIRECTION = AttributeKey.stringKey("network.io.direction");
    private static final Attributes TRANSMIT = Attributes.of(DIRECTION, "transmit", NETWORK_IO_DIRECTION, "transmit");
    private static final long STARTED_NANOS = System.nanoTime();

    private ClusterSimulator() {
    }

    public static void main(String[] args) throws InterruptedException {
        OrphanGuard.exitWithLauncher();
        String endpoint = System.getenv().getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318");
        Duration interval = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("PLUMB_DEMO_USAGE_INTERVAL", "10")));
        List<SdkMeterProvider> providers = new ArrayList<>();
        for (SimulatedPod pod : SimulatedPod.demoCluster()) {
            providers.add(report(pod, endpoint, interval));
        }
        log.info("reporting usage of {} pods to {} every {} s", providers.size(), endpoint, interval.toSeconds());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            flushAll(providers);
            stopped.countDown();
        }, "cluster-simulator-stop"));
        stopped.await();
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

    private static SdkMeterProvider report(SimulatedPod pod, String endpoint, Duration interval) {
        Resource resource = Resource.create(Attributes.builder()
                .put("service.name", pod.service())
                .put("team", pod.team())
                .put("k8s.namespace.name", pod.namespace())
                .put("k8s.deployment.name", pod.deployment())
                .put("k8s.pod.name", pod.podName())
                .put("k8s.pod.uid", pod.podUid())
                .put("k8s.container.name", pod.service())
                .put("k8s.node.name", "demo-node-" + (1 + Math.floorMod(pod.podName().hashCode(), 3)))
                .build());
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint.replaceAll("/+$", "") + "/v1/metrics")
                .setTimeout(Duration.ofSeconds(5))
                .build();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(interval).build())
                .build();
        Meter meter = provider.get("dev.plumb.demo.cluster");
        double phase = ThreadLocalRandom.current().nextDouble(2 * Math.PI);

        meter.gaugeBuilder("k8s.pod.cpu.usage").setUnit("{cpu}")
                .setDescription("CPU cores the pod uses")
                .buildWithCallback(m -> m.record(wave(pod.typicalCpuCores(), 0.3, phase)));
        meter.gaugeBuilder("k8s.pod.memory.working_set").setUnit("By").ofLongs()
                .setDescription("Memory working set of the pod")
                .buildWithCallback(m -> m.record(Math.round(wave(pod.typicalMemoryBytes(), 0.1, phase))));
        meter.gaugeBuilder("k8s.container.cpu_request").setUnit("{cpu}")
                .setDescription("CPU cores the container requests")
                .buildWithCallback(m -> m.record(pod.cpuRequestCores()));
        meter.gaugeBuilder("k8s.container.memory_request").setUnit("By").ofLongs()
                .setDescription("Memory the container requests")
                .buildWithCallback(m -> m.record(pod.memoryRequestBytes()));

        AtomicLong transmitted = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong(System.nanoTime());
        meter.counterBuilder("k8s.pod.network.io").setUnit("By")
                .setDescription("Bytes the pod sent, cumulative")
                .buildWithCallback(m -> {
                    long now = System.nanoTime();
                    double seconds = (now - lastNanos.getAndSet(now)) / 1e9;
                    m.record(transmitted.addAndGet(Math.round(wave(pod.transmitBytesPerSecond(), 0.5, phase) * seconds)), TRANSMIT);
                });
        if (pod.volumeBytes() > 0) {
            Attributes volume = Attributes.builder()
                    .put("k8s.volume.name", pod.service() + "-data")
                    .put("k8s.volume.type", "persistentVolumeClaim")
                    .build();
            meter.gaugeBuilder("k8s.volume.capacity").setUnit("By").ofLongs()
                    .setDescription("Capacity of the pod's persistent volume")
                    .buildWithCallback(m -> m.record(pod.volumeBytes(), volume));
        }
        return provider;
    }

    /** A value around {@code typical}: a ten-minute swing of +/- {@code swing} and a little noise. */
    private static double wave(double typical, double swing, double phase) {
        double minutes = (System.nanoTime() - STARTED_NANOS) / 60e9;
        double noise = ThreadLocalRandom.current().nextGaussian() * 0.03;
        return Math.max(0, typical * (1 + swing * Math.sin(2 * Math.PI * minutes / 10 + phase) + noise));
    }
}
