package dev.plumb.analytics.telemetry;

import java.util.List;

/** What one OTLP request carried, decoded: the unit the store writes and acknowledges. */
public record TelemetryBatch(List<SpanRow> spans, List<LogRow> logs, List<MetricPoint> metrics) {
    public TelemetryBatch {
        spans = List.copyOf(spans);
        logs = List.copyOf(logs);
        metrics = List.copyOf(metrics);
    }

    public static TelemetryBatch ofSpans(List<SpanRow> spans) {
        return new TelemetryBatch(spans, List.of(), List.of());
    }

    public static TelemetryBatch ofLogs(List<LogRow> logs) {
        return new TelemetryBatch(List.of(), logs, List.of());
    }

    public static TelemetryBatch ofMetrics(List<MetricPoint> metrics) {
        return new TelemetryBatch(List.of(), List.of(), metrics);
    }

    /** Number of records (spans + logs + metric points). */
    public int size() {
        return spans.size() + logs.size() + metrics.size();
    }
}
