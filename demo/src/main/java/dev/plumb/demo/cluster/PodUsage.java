package dev.plumb.demo.cluster;

/**
 * What one pod uses at one moment: CPU cores, memory working set, bytes sent per second, and
 * the capacity of its volume (0 for a stateless pod).
 */
record PodUsage(double cpuCores, long memoryBytes, long transmitBytesPerSecond, long volumeBytes) {
}
