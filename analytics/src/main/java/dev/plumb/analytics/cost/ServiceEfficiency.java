package dev.plumb.analytics.cost;

/**
 * How well a service uses what it requests over a window, and what to request instead.
 * Efficiency is usage ÷ request per resource, and overall those two weighted by their cost.
 * The suggestion sets each request to the 95th percentile of usage at the target utilisation
 * (never below the floors); it is made only for a resource whose request is far above that
 * (the suggestion is under 80 % of it), with the monthly saving at the window's average replicas
 * and prices.
 *
 * @param suggestedCpuCores   null when CPU needs no change
 * @param suggestedMemoryBytes null when memory needs no change
 */
public record ServiceEfficiency(String service, double cpuEfficiency, double memoryEfficiency, double efficiency,
                                double cost, double cpuRequestCores, double cpuP95Cores, Double suggestedCpuCores,
                                double memoryRequestBytes, double memoryP95Bytes, Double suggestedMemoryBytes,
                                double monthlySaving) {
}
