package dev.plumb.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** A log record exporter that reports its first failure through {@link ExportHealth}. */
final class WatchedLogExporter implements LogRecordExporter {

    private final Deferred<LogRecordExporter> delegate;
    private final ExportHealth health;

    WatchedLogExporter(Deferred<LogRecordExporter> delegate, ExportHealth health) {
        this.delegate = delegate;
        this.health = health;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        return health.watch("logs", delegate.get().export(logs));
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.ifBuilt(LogRecordExporter::flush);
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.ifBuilt(LogRecordExporter::shutdown);
    }
}
