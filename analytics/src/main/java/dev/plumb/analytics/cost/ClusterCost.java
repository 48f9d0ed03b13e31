package dev.plumb.analytics.cost;

import java.time.Instant;
import java.util.List;

/**
 * What the cluster cost over a window and where it went, over the hours of the window for which
 * node capacity is known ({@code hoursWithCapacity}; pod cost in other hours is left out, since
 * there is no cluster figure to hold it against). {@code cluster} = the nodes' allocatable CPU
 * and memory × their prices, + the storage and egress of every pod (which no node holds, so they
 * are billed as used). The parts: {@code services} (pods with a namespace, per service),
 * {@code unallocated} (pods without a namespace: attribution always finds a service, so the
 * namespace is what a pod can lack), and {@code idle} (capacity paid for and not allocated, per
 * hour and resource, never below zero). Where pods were allocated more than the nodes hold, the
 * excess is {@code overcommit}, so that services + unallocated + idle = cluster + overcommit;
 * {@code balanced} says whether that holds within a cent.
 */
public record ClusterCost(Instant from, Instant to, String currency, long hoursWithCapacity, double cluster,
                          Resources capacity, double storageAndNetwork, double allocated, List<ServiceCost> services,
                          double unallocated, Resources idle, Resources overcommit, boolean balanced) {

    /** CPU and memory cost and their sum. */
    public record Resources(double cpu, double memory, double total) {
        static Resources of(double cpu, double memory) {
            return new Resources(cpu, memory, cpu + memory);
        }
    }

    /** One service's cost in the hours with capacity. */
    public record ServiceCost(String service, double cpu, double memory, double storage, double network,
                              double total) {
    }
}
