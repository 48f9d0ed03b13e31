package dev.plumb.analytics.cost;

/**
 * What one service consumed and paid over a period, per resource: quantities billed (the larger
 * of request and usage for CPU and memory), requested, and their cost. The unit of the
 * drivers' decomposition and of the benchmark.
 */
record ServicePeriod(String service, String team, double podHours,
                     double cpuRequest, double cpuBilled, double cpuCost,
                     double memoryRequest, double memoryBilled, double memoryCost,
                     double storage, double storageCost,
                     double egressRegion, double egressRegionCost,
                     double egressInternet, double egressInternetCost,
                     double total, double hoursSeen) {
}
