package dev.plumb.analytics.ingest;

import dev.plumb.analytics.schema.AttributeJson;
import dev.plumb.analytics.schema.TraceKey;
import dev.plumb.analytics.telemetry.SpanRow;
import java.util.List;

/**
 * What the loader needs of each span that depends on that span alone: ids lower-cased, their
 * keys for {@link ParentResolver}, {@code trace_key}, {@code code_function} and the attribute
 * JSON. It is computed by the thread that submits the batch, many of which run at once, so the
 * single loader thread only decides parents and appends.
 */
record PreparedSpans(String[] traceIds, String[] spanIds, String[] parentIds, ParentResolver.SpanKey[] keys,
                     ParentResolver.SpanKey[] parentKeys, long[] traceKeys, String[] codeFunctions,
                     String[] attributes) {

    static PreparedSpans of(List<SpanRow> spans) {
        int n = spans.size();
        PreparedSpans p = new PreparedSpans(new String[n], new String[n], new String[n], new ParentResolver.SpanKey[n],
                new ParentResolver.SpanKey[n], new long[n], new String[n], new String[n]);
        for (int i = 0; i < n; i++) {
            SpanRow s = spans.get(i);
            String traceId = ParentResolver.lower(s.traceId());
            String spanId = ParentResolver.lower(s.spanId());
            String parentId = ParentResolver.lower(s.parentSpanId());
            p.traceIds[i] = traceId;
            p.spanIds[i] = spanId;
            p.parentIds[i] = parentId;
            // The key computes its hash here, on the submitting thread, sparing the loader the work.
            p.keys[i] = new ParentResolver.SpanKey(traceId, spanId);
            if (!parentId.isEmpty()) {
                p.parentKeys[i] = new ParentResolver.SpanKey(traceId, parentId);
            }
            p.traceKeys[i] = TraceKey.of(traceId);
            Object function = s.attributes().get("code.function.name");
            p.codeFunctions[i] = function == null ? "" : function.toString();
            p.attributes[i] = AttributeJson.encode(s.attributes());
        }
        return p;
    }

    int size() {
        return traceIds.length;
    }

    /** The spans of several batches, in order, as one. */
    static PreparedSpans concat(List<PreparedSpans> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int n = parts.stream().mapToInt(PreparedSpans::size).sum();
        PreparedSpans all = new PreparedSpans(new String[n], new String[n], new String[n], new ParentResolver.SpanKey[n],
                new ParentResolver.SpanKey[n], new long[n], new String[n], new String[n]);
        int at = 0;
        for (PreparedSpans p : parts) {
            int k = p.size();
            System.arraycopy(p.traceIds, 0, all.traceIds, at, k);
            System.arraycopy(p.spanIds, 0, all.spanIds, at, k);
            System.arraycopy(p.parentIds, 0, all.parentIds, at, k);
            System.arraycopy(p.keys, 0, all.keys, at, k);
            System.arraycopy(p.parentKeys, 0, all.parentKeys, at, k);
            System.arraycopy(p.traceKeys, 0, all.traceKeys, at, k);
            System.arraycopy(p.codeFunctions, 0, all.codeFunctions, at, k);
            System.arraycopy(p.attributes, 0, all.attributes, at, k);
            at += k;
        }
        return all;
    }
}
