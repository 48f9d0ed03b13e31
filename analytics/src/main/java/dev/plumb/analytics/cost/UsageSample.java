package dev.plumb.analytics.cost;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of one pod's resources, as callers inside the process supply them (the demo's
 * simulated cluster, the deploy adapter's declared resources). {@code service} and {@code team}
 * may be null: attribution then derives them as for every other source. Egress counts the
 * bytes sent from this sample to the pod's next one.
 */
public record UsageSample(String pod, String namespace, String service, String team, String nodePool,
                          Map<String, String> labels, Instant ts, Double intervalSeconds,
                          double cpuUsageCores, double cpuRequestCores, double memoryUsageBytes,
                          double memoryRequestBytes, double storageBytes, double egressRegionBytes,
                          double egressInternetBytes) {
    public UsageSample {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(ts, "ts");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
