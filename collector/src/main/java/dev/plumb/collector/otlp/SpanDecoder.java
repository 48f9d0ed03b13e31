package dev.plumb.collector.otlp;

import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanLink;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns an OTLP trace export into span rows, refusing spans whose ids cannot identify them. */
final class SpanDecoder {
    private SpanDecoder() {
    }

    static Decoded decode(ExportTraceServiceRequest request) {
        List<SpanRow> rows = new ArrayList<>();
        Rejections rejections = new Rejections();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, Object> resource = OtlpAttributes.resource(rs.getResource());
            String service = OtlpAttributes.serviceOf(resource);
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                String scope = ss.getScope().getName();
                for (Span span : ss.getSpansList()) {
                    String problem = problem(span);
                    if (problem != null) {
                        rejections.add("span '" + span.getName() + "': " + problem);
                        continue;
                    }
                    rows.add(row(span, service, resource, scope));
                }
            }
        }
        return new Decoded(TelemetryBatch.ofSpans(rows), rejections.count(), rejections.message());
    }

    private static String problem(Span span) {
        return problem(OtlpIds.absent(span.getTraceId()), span.getTraceId().size(),
                OtlpIds.absent(span.getSpanId()), span.getSpanId().size(),
                OtlpIds.absent(span.getParentSpanId()), span.getParentSpanId().size(),
                span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
    }

    /**
     * Why a span cannot be stored, or null: its ids (known by whether each is absent and its
     * size in bytes), then its times. {@link OtlpTraceProto} asks the same of the wire's bytes.
     */
    static String problem(boolean traceAbsent, int traceBytes, boolean spanAbsent, int spanBytes,
                          boolean parentAbsent, int parentBytes, long start, long end) {
        String p = OtlpIds.problem("trace_id", traceAbsent, traceBytes, OtlpIds.TRACE_ID_BYTES, false);
        if (p == null) {
            p = OtlpIds.problem("span_id", spanAbsent, spanBytes, OtlpIds.SPAN_ID_BYTES, false);
        }
        if (p == null) {
            p = OtlpIds.problem("parent_span_id", parentAbsent, parentBytes, OtlpIds.SPAN_ID_BYTES, true);
        }
        return p != null ? p : timeProblem(start, end);
    }

    /** Why a span's times are unusable, or null (an end of 0 means "not ended": see {@link #end}). */
    private static String timeProblem(long start, long end) {
        return end != 0 && end < start ? "end_time_unix_nano is before start_time_unix_nano" : null;
    }

    /** The end time stored for a span: its start when the sender left the end out. */
    static long end(long start, long end) {
        return end == 0 ? start : end;
    }

    private static SpanRow row(Span span, String service, Map<String, Object> resource, String scope) {
        List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
        for (Span.Event e : span.getEventsList()) {
            events.add(new SpanEvent(e.getName(), e.getTimeUnixNano(), OtlpAttributes.flatten(e.getAttributesList())));
        }
        List<SpanLink> links = new ArrayList<>(span.getLinksCount());
        for (Span.Link l : span.getLinksList()) {
            links.add(new SpanLink(OtlpIds.hex(l.getTraceId()), OtlpIds.hex(l.getSpanId()),
                    OtlpAttributes.flatten(l.getAttributesList())));
        }
        return new SpanRow(
                OtlpIds.hex(span.getTraceId()),
                OtlpIds.hex(span.getSpanId()),
                OtlpIds.optionalHex(span.getParentSpanId()),
                service,
                span.getName(),
                SpanKind.ofOtlp(span.getKindValue()),
                span.getStartTimeUnixNano(),
                end(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()),
                StatusCode.ofOtlp(span.getStatus().getCodeValue()),
                span.getStatus().getMessage(),
                OtlpAttributes.flatten(span.getAttributesList()),
                resource,
                scope,
                events,
                links);
    }
}
