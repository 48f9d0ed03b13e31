package dev.plumb.analytics.cost;

import java.time.Instant;
import java.util.Objects;

/**
 * What the deploy adapter declares a service will run, for the hours before any usage of it is
 * known: {@code replicas} pods, each requesting {@code cpuCores} and {@code memoryGiB} and
 * holding {@code storageGiB} of volumes, from {@code effectiveFrom} until the service's next
 * declaration (zero replicas ends it). {@code team} may be null: the pricing file's team of the
 * namespace, else the namespace, as for usage.
 */
public record ResourceDeclaration(String service, String namespace, String team, int replicas, double cpuCores,
                                  double memoryGiB, double storageGiB, Instant effectiveFrom) {
    public ResourceDeclaration {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (service.isBlank() || namespace.isBlank()) {
            throw new IllegalArgumentException("service and namespace must not be blank");
        }
        if (replicas < 0 || cpuCores < 0 || memoryGiB < 0 || storageGiB < 0
                || !Double.isFinite(cpuCores + memoryGiB + storageGiB)) {
            throw new IllegalArgumentException("replicas, cpuCores, memoryGiB and storageGiB must be finite and >= 0");
        }
    }
}
