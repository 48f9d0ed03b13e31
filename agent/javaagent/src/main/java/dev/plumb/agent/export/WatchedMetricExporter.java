package dev.plumb.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.List;

/** A metric exporter that ships the agent's own metrics and reports its first failure through {@link ExportHealth}. */
final class WatchedMetricExporter implements MetricExporter {

    private static final String SCOPE = "dev.plumb.agent";

    private final Deferred<MetricExporter> delegate;
    private final ExportHealth health;

    WatchedMetricExporter(Deferred<MetricExporter> delegate, ExportHealth health) {
        this.delegate = delegate;
        this.health = health;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        // What the OTLP exporter answers by default; asking it would build it at start-up.
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        // The SDK measures its own metric reader; the agent ships only what the app's calls produced.
        List<MetricData> own = metrics.stream()
                .filter(metric -> metric.getInstrumentationScopeInfo().getName().equals(SCOPE))
                .toList();
        if (own.isEmpty()) {
            return CompletableResultCode.ofSuccess();
        }
        return health.watch("metrics", delegate.get().export(own));
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.ifBuilt(MetricExporter::flush);
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.ifBuilt(MetricExporter::shutdown);
    }
}
