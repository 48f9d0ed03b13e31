package dev.plumb.analytics.telemetry;

import java.util.Map;

/**
 * One log record as stored. {@code timeNanos} is the event time, or the observed time when the
 * sender gave none. Severity follows OTLP's numbers (ERROR is 17 to 20). Ids are hex, empty
 * when the record carries no trace context.
 */
public record LogRow(
        long timeNanos,
        long observedNanos,
        String service,
        int severityNumber,
        String severityText,
        String body,
        String traceId,
        String spanId,
        Map<String, Object> attributes,
        Map<String, Object> resource,
        String scopeName) {

    public LogRow {
        attributes = Map.copyOf(attributes);
        resource = Map.copyOf(resource);
    }
}
