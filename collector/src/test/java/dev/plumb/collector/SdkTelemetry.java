package dev.plumb.collector;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real OpenTelemetry SDK, wired per service the way an application wires it. */
final class SdkTelemetry {
    private SdkTelemetry() {
    }

    static Resource resource(String service) {
        return Resource.getDefault().merge(Resource.create(Attributes.of(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), service)));
    }

    static SdkTracerProvider tracing(String service, SpanExporter exporter) {
        return SdkTracerProvider.builder().setResource(resource(service))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(512).build()).build();
    }

    static SdkLoggerProvider logging(String service, LogRecordExporter exporter) {
        return SdkLoggerProvider.builder().setResource(resource(service))
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).setMaxExportBatchSize(512).build()).build();
    }

    /** Waits for every export and fails the test when the collector refused one. */
    static void flushed(CompletableResultCode result, String what) {
        result.join(20, TimeUnit.SECONDS);
        if (!result.isSuccess()) {
            throw new AssertionError("the SDK could not export " + what + " to the collector");
        }
    }

    /** Keeps the spans the SDK finished, for encoding them ourselves with the SDK's marshalers. */
    static final class Captured implements SpanExporter {
        final List<SpanData> spans = new ArrayList<>();

        @Override
        public synchronized CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
