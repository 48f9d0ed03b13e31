package dev.plumb.collector.ops;

import dev.plumb.analytics.StoreStats;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The collector's own Prometheus metrics, in a registry of its own so that several collectors in
 * one JVM (tests, embedding) do not share counters.
 */
public final class CollectorMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter received;
    private final Counter accepted;
    private final Counter refused;
    private final Counter refusedRequests;
    private final Histogram storeWrite;
    private final Counter httpRequests;

    public CollectorMetrics(Supplier<StoreStats> stats) {
        received = Counter.builder().name("plumb_otlp_received_records_total")
                .help("OTLP records (spans, log records, metric points) decoded from requests")
                .labelNames("signal", "transport").register(registry);
        accepted = Counter.builder().name("plumb_otlp_accepted_records_total")
                .help("OTLP records durably stored and acknowledged")
                .labelNames("signal", "transport").register(registry);
        refused = Counter.builder().name("plumb_otlp_refused_records_total")
                .help("OTLP records refused: invalid (bad ids, no data), store_full (backpressure), store_error")
                .labelNames("signal", "reason").register(registry);
        refusedRequests = Counter.builder().name("plumb_otlp_refused_requests_total")
                .help("OTLP requests refused whole: malformed, too_large, unsupported_media_type, not_allowed")
                .labelNames("transport", "reason").register(registry);
        storeWrite = Histogram.builder().name("plumb_store_write_seconds")
                .help("Time from handing a request's records to the store until they are durable")
                .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("signal").register(registry);
        httpRequests = Counter.builder().name("plumb_http_requests_total")
                .help("HTTP requests answered, by server (api, otlp_http, otlp_grpc) and status code")
                .labelNames("server", "code").register(registry);
        GaugeWithCallback.builder().name("plumb_store_queue_depth")
                .help("Records accepted by the store but not yet loaded into DuckDB (acknowledged ones are in the ingest log)")
                .callback(cb -> cb.call(stats.get().queueDepth())).register(registry);
        GaugeWithCallback.builder().name("plumb_store_queue_capacity")
                .help("Most records the store's write queue takes before it refuses")
                .callback(cb -> cb.call(stats.get().queueCapacity())).register(registry);
        GaugeWithCallback.builder().name("plumb_store_ingest_log_bytes")
                .help("Bytes of the ingest log (write-ahead log) on disk whose records are not all loaded into DuckDB yet")
                .callback(cb -> cb.call(stats.get().logBytes())).register(registry);
        GaugeWithCallback.builder().name("plumb_store_ingest_log_last_fsync_seconds")
                .help("Time of the ingest log's last fsync, which every acknowledgement waits for")
                .callback(cb -> cb.call(stats.get().lastLogForce().toNanos() / 1e9)).register(registry);
        GaugeWithCallback.builder().name("plumb_store_last_load_seconds")
                .help("Time of the store's last DuckDB load transaction (append and commit)")
                .callback(cb -> cb.call(stats.get().lastWriteLatency().toNanos() / 1e9)).register(registry);
    }

    public void received(String signal, String transport, long records) {
        if (records > 0) {
            received.labelValues(signal, transport).inc(records);
        }
    }

    public void accepted(String signal, String transport, long records) {
        if (records > 0) {
            accepted.labelValues(signal, transport).inc(records);
        }
    }

    public void refused(String signal, String reason, long records) {
        if (records > 0) {
            refused.labelValues(signal, reason).inc(records);
        }
    }

    public void refusedRequest(String transport, String reason) {
        refusedRequests.labelValues(transport, reason).inc();
    }

    public void storeWrite(String signal, long nanos) {
        storeWrite.labelValues(signal).observe(nanos / 1e9);
    }

    public void httpRequest(String server, int code) {
        httpRequests.labelValues(server, Integer.toString(code)).inc();
    }

    /** The registry {@code /metrics} serves, for other parts of the collector to register their metrics in. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The metrics in Prometheus text format 0.0.4. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }
}
