package dev.plumb.agent.export;

import dev.plumb.agent.config.AgentConfig;
import dev.plumb.agent.metrics.DurationHistogram;
import dev.plumb.agent.metrics.OtlpHistogramProducer;
import dev.plumb.agent.metrics.PrometheusEndpoint;
import dev.plumb.agent.trace.SpanShipper;
import dev.plumb.agent.trace.TraceSampler;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent's telemetry back end: the span shipper and the sampler of the agent's own span
 * path, a logger whose batches go over OTLP/HTTP, the duration histogram, its Prometheus
 * endpoint and its periodic OTLP export.
 *
 * <p>Every queue is bounded (the span ring and the SDK's log processor drop when full) and every
 * export runs on daemon threads, so a slow or absent collector never blocks the application.
 */
public final class TelemetryPipeline {

    /** How long the JVM's shutdown may wait for the last batches. */
    private static final long SHUTDOWN_MILLIS = 3_000;

    private final SpanShipper spans;
    private final TraceSampler sampler;
    private final SdkLoggerProvider loggerProvider;
    private final SdkMeterProvider meterProvider;
    private final CompletableFuture<HTTPServer> prometheus;
    private final int prometheusPort;
    private final Logger logger;
    private final DurationHistogram histogram;

    private TelemetryPipeline(SpanShipper spans, TraceSampler sampler, SdkLoggerProvider loggerProvider,
            SdkMeterProvider meterProvider, CompletableFuture<HTTPServer> prometheus, int prometheusPort,
            DurationHistogram histogram) {
        this.spans = spans;
        this.sampler = sampler;
        this.loggerProvider = loggerProvider;
        this.meterProvider = meterProvider;
        this.prometheus = prometheus;
        this.prometheusPort = prometheusPort;
        this.histogram = histogram;
        this.logger = loggerProvider.get("dev.plumb.agent");
    }

    /**
     * Builds the pipeline from the configuration. Exporters are built on first use and the
     * Prometheus endpoint starts in the background, so this costs the application's start-up
     * only the SDK's own set-up.
     *
     * @param exemplars where the histogram finds the current span for its exemplars
     */
    public static TelemetryPipeline start(AgentConfig config, String version,
            io.prometheus.metrics.tracer.common.SpanContext exemplars) {
        Resource resource = resource(config);
        ExportHealth health = new ExportHealth(config.endpoint());

        // The agent's spans skip the SDK's span objects and processor (see SpanShipper); the SDK's
        // OTLP exporter still writes them, so the wire format is the SDK's own.
        SpanShipper spans = null;
        if (config.tracesEnabled()) {
            OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(config.endpoint() + "/v1/traces")
                    .setTimeout(config.exportTimeout());
            config.headers().forEach(exporter::addHeader);
            spans = SpanShipper.start(new WatchedSpanExporter(new Deferred<>(exporter::build), health), resource,
                    InstrumentationScopeInfo.builder("dev.plumb.agent").setVersion(version).build(),
                    config.spanQueueSize(), Math.min(512, config.spanQueueSize()), config.spanDelay(),
                    config.exportTimeout(), health::warnOnce);
        }

        var loggerBuilder = SdkLoggerProvider.builder().setResource(resource);
        if (config.logsEnabled()) {
            OtlpHttpLogRecordExporterBuilder exporter = OtlpHttpLogRecordExporter.builder()
                    .setEndpoint(config.endpoint() + "/v1/logs")
                    .setTimeout(config.exportTimeout());
            config.headers().forEach(exporter::addHeader);
            loggerBuilder.addLogRecordProcessor(
                    BatchLogRecordProcessor.builder(new WatchedLogExporter(new Deferred<>(exporter::build), health))
                            .setScheduleDelay(config.logDelay())
                            .setMaxQueueSize(config.logQueueSize())
                            .setMaxExportBatchSize(Math.min(512, config.logQueueSize()))
                            .build());
        }

        SpanContextSupplier.setSpanContext(exemplars);
        PrometheusRegistry registry = new PrometheusRegistry();
        DurationHistogram histogram = new DurationHistogram(registry, config.maxSeriesPerMethod());

        var meterBuilder = SdkMeterProvider.builder().setResource(resource);
        if (config.metricsEnabled()) {
            OtlpHttpMetricExporterBuilder exporter = OtlpHttpMetricExporter.builder()
                    .setEndpoint(config.endpoint() + "/v1/metrics")
                    .setTimeout(config.exportTimeout());
            config.headers().forEach(exporter::addHeader);
            meterBuilder.registerMetricReader(
                    PeriodicMetricReader.builder(new WatchedMetricExporter(new Deferred<>(exporter::build), health))
                            .setInterval(config.metricInterval())
                            .build());
            meterBuilder.registerMetricProducer(
                    new OtlpHistogramProducer(histogram, version, System.currentTimeMillis() * 1_000_000L));
        }

        CompletableFuture<HTTPServer> prometheus = config.prometheusPort() == 0
                ? null
                : PrometheusEndpoint.startInBackground(registry, config.prometheusHost(), config.prometheusPort());
        return new TelemetryPipeline(spans, sampler(config), loggerBuilder.build(), meterBuilder.build(),
                prometheus, config.prometheusPort(), histogram);
    }

    /** Where ended spans go for export; null when traces are turned off. */
    public SpanShipper spans() {
        return spans;
    }

    /** The sampler of {@code OTEL_TRACES_SAMPLER}. */
    public TraceSampler sampler() {
        return sampler;
    }

    /** The logger of the error records. */
    public Logger logger() {
        return logger;
    }

    /** The provider of the error records' logger, and of the captured application logs' loggers. */
    public io.opentelemetry.api.logs.LoggerProvider loggerProvider() {
        return loggerProvider;
    }

    /** The {@code monitor.duration} histogram. */
    public DurationHistogram histogram() {
        return histogram;
    }

    /**
     * True when the configured sampler drops every span that has no parent ({@code always_off},
     * a ratio of 0, or their parent-based forms), so a call without a parent need not build one.
     */
    static boolean rootsNeverSampled(AgentConfig config) {
        return sampler(config).neverSamplesRoots();
    }

    /** The port the Prometheus endpoint is configured to listen on (it starts in the background), or 0 when it is off. */
    public int prometheusPort() {
        return prometheusPort;
    }

    /**
     * Exports what is queued and stops, waiting a bounded time so that JVM exit stays prompt.
     * The SDK's own shutdown blocks while an exporter retries an unreachable collector (the
     * metric reader for up to its export timeout), so it runs on a daemon thread that the JVM
     * abandons after {@link #SHUTDOWN_MILLIS}.
     */
    public void shutdown() {
        Thread flusher = new Thread(() -> {
            List<CompletableResultCode> results = new ArrayList<>();
            if (spans != null) {
                results.add(spans.shutdown());
            }
            results.add(loggerProvider.shutdown());
            results.add(meterProvider.shutdown());
            CompletableResultCode.ofAll(results).join(SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
        }, "plumb-agent-flush");
        flusher.setDaemon(true);
        flusher.start();
        try {
            flusher.join(SHUTDOWN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (prometheus != null) {
            prometheus.thenAccept(HTTPServer::stop);
        }
    }

    private static Resource resource(AgentConfig config) {
        AttributesBuilder attributes = Attributes.builder();
        for (Map.Entry<String, String> entry : config.resourceAttributes().entrySet()) {
            attributes.put(entry.getKey(), entry.getValue());
        }
        attributes.put("service.name", config.serviceName());
        attributes.put("telemetry.sdk.name", "plumb-agent");
        attributes.put("telemetry.sdk.language", "java");
        attributes.put("process.runtime.version", System.getProperty("java.runtime.version", ""));
        return Resource.create(attributes.build());
    }

    /**
     * Checks the settings that {@link #start} would reject, so that a bad one is reported while
     * the agent starts rather than when the pipeline is built in the background.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static void validate(AgentConfig config) {
        sampler(config);
    }

    /** The sampler named by {@code OTEL_TRACES_SAMPLER}, deciding as the OpenTelemetry SDK's samplers do. */
    static TraceSampler sampler(AgentConfig config) {
        return TraceSampler.of(config.sampler(), config.samplerArg());
    }
}
