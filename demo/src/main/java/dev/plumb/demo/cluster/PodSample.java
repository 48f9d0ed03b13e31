package dev.plumb.demo.cluster;

import java.time.Instant;

/**
 * One sample of a pod's history: its usage at {@code time} and its cumulative count of bytes
 * sent up to then.
 */
record PodSample(Instant time, PodUsage usage, long transmittedBytes) {
}
