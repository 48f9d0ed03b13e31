package dev.plumb.collector.otlp;

import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns an OTLP logs export into log rows; a record with a malformed trace context is refused. */
final class LogDecoder {
    private LogDecoder() {
    }

    static Decoded decode(ExportLogsServiceRequest request, long receivedNanos) {
        List<LogRow> rows = new ArrayList<>();
        Rejections rejections = new Rejections();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Map<String, Object> resource = OtlpAttributes.resource(rl.getResource());
            String service = OtlpAttributes.serviceOf(resource);
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                String scope = sl.getScope().getName();
                for (LogRecord log : sl.getLogRecordsList()) {
                    String problem = OtlpIds.problem("trace_id", log.getTraceId(), OtlpIds.TRACE_ID_BYTES, true);
                    if (problem == null) {
                        problem = OtlpIds.problem("span_id", log.getSpanId(), OtlpIds.SPAN_ID_BYTES, true);
                    }
                    if (problem != null) {
                        rejections.add("log record: " + problem);
                        continue;
                    }
                    rows.add(row(log, service, resource, scope, receivedNanos));
                }
            }
        }
        return new Decoded(TelemetryBatch.ofLogs(rows), rejections.count(), rejections.message());
    }

    private static LogRow row(LogRecord log, String service, Map<String, Object> resource, String scope,
                              long receivedNanos) {
        long observed = log.getObservedTimeUnixNano() != 0 ? log.getObservedTimeUnixNano() : receivedNanos;
        long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : observed;
        return new LogRow(
                time,
                observed,
                service,
                log.getSeverityNumberValue(),
                log.getSeverityText(),
                OtlpAttributes.text(log.getBody()),
                OtlpIds.optionalHex(log.getTraceId()),
                OtlpIds.optionalHex(log.getSpanId()),
                OtlpAttributes.flatten(log.getAttributesList()),
                resource,
                scope);
    }
}
