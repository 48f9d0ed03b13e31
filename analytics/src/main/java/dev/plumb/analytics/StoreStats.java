package dev.plumb.analytics;

import java.time.Duration;

/**
 * The store's ingest figures since it opened, for the collector's own metrics.
 *
 * @param queueDepth          records accepted but not yet loaded into DuckDB (waiting for the
 *                            ingest log's fsync, or acknowledged and waiting for the loader)
 * @param queueCapacity       the most records the queue takes
 * @param spansWritten        spans committed
 * @param logsWritten         log records committed
 * @param metricPointsWritten metric points committed
 * @param batchesWritten      submitted batches committed
 * @param transactions        transactions committed (several batches share one)
 * @param refusedBatches      batches refused because the queue was full
 * @param failedBatches       batches whose write failed
 * @param lastWriteLatency    time of the last transaction (append + commit)
 * @param averageWriteLatency mean time of a transaction
 * @param logBytes            bytes of ingest log on disk not yet released (segments not wholly
 *                            loaded into DuckDB)
 * @param lastLogForce        time of the last fsync of the ingest log (what an acknowledgement waits for)
 */
public record StoreStats(long queueDepth, long queueCapacity, long spansWritten, long logsWritten,
                         long metricPointsWritten, long batchesWritten, long transactions, long refusedBatches,
                         long failedBatches, Duration lastWriteLatency, Duration averageWriteLatency,
                         long logBytes, Duration lastLogForce) {
}
