package dev.plumb.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** A span exporter that reports its first failure through {@link ExportHealth}. */
final class WatchedSpanExporter implements SpanExporter {

    private final Deferred<SpanExporter> delegate;
    private final ExportHealth health;

    WatchedSpanExporter(Deferred<SpanExporter> delegate, ExportHealth health) {
        this.delegate = delegate;
        this.health = health;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return health.watch("spans", delegate.get().export(spans));
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.ifBuilt(SpanExporter::flush);
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.ifBuilt(SpanExporter::shutdown);
    }
}
