package dev.plumb.analytics;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Store} keeps and writes data.
 *
 * @param tracesRetention how long spans (with their events and links) are kept
 * @param logsRetention   how long log records are kept
 * @param metricsRetention how long metric points and exemplars are kept
 * @param queueCapacity   most records (spans + logs + points) waiting to be written; beyond it
 *                        {@link Store#submit} refuses with {@link StoreFullException}
 * @param batchSize       most records the writer puts in one transaction
 * @param flushInterval   how long the writer, once it holds some records, waits for more to
 *                        share the transaction (and its fsync) with
 * @param memoryLimitMiB  DuckDB's {@code memory_limit}: its buffer pool spills to disk beyond it.
 *                        DuckDB's own default is 80% of the machine's RAM, far too much for a
 *                        service that shares its host.
 */
public record StoreOptions(Duration tracesRetention, Duration logsRetention, Duration metricsRetention,
                           int queueCapacity, int batchSize, Duration flushInterval, int memoryLimitMiB) {

    public StoreOptions {
        positive(tracesRetention, "tracesRetention");
        positive(logsRetention, "logsRetention");
        positive(metricsRetention, "metricsRetention");
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must not be negative, was " + flushInterval);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1 record, was " + queueCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1 record, was " + batchSize);
        }
        if (memoryLimitMiB < 64) {
            throw new IllegalArgumentException("memoryLimitMiB must be at least 64, was " + memoryLimitMiB);
        }
    }

    /**
     * Traces and logs 7 days, metrics 30 days, 400,000 queued records (they wait in the ingest
     * log on disk, not on the heap), 20,000 per transaction, 5 ms flush wait, 320 MiB for DuckDB
     * (with {@code ./plumb}'s 384 MiB heap, the collector stays under 1 GiB resident).
     */
    public static StoreOptions defaults() {
        return new StoreOptions(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(30), 400_000, 20_000,
                Duration.ofMillis(5), 320);
    }

    public StoreOptions withRetention(Duration traces, Duration logs, Duration metrics) {
        return new StoreOptions(traces, logs, metrics, queueCapacity, batchSize, flushInterval, memoryLimitMiB);
    }

    public StoreOptions withQueue(int capacity, int batch, Duration flush) {
        return new StoreOptions(tracesRetention, logsRetention, metricsRetention, capacity, batch, flush,
                memoryLimitMiB);
    }

    public StoreOptions withMemoryLimitMiB(int mib) {
        return new StoreOptions(tracesRetention, logsRetention, metricsRetention, queueCapacity, batchSize,
                flushInterval, mib);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
