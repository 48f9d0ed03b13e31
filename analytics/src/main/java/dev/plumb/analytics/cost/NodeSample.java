package dev.plumb.analytics.cost;

import java.time.Instant;
import java.util.Objects;

/**
 * One sample of one node's allocatable capacity, as callers inside the process supply it (the
 * demo's simulated cluster, tests); it stands for the time until the node's next sample.
 * {@code nodePool} may be null.
 */
public record NodeSample(String node, String nodePool, Instant ts, Double intervalSeconds,
                         double cpuAllocatableCores, double memoryAllocatableBytes) {
    public NodeSample {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(ts, "ts");
    }
}
