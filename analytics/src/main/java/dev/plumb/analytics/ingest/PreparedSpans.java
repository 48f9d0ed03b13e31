package dev.plumb.analytics.ingest;

import dev.plumb.analytics.schema.AttributeJson;
import dev.plumb.analytics.schema.TraceKey;
import dev.plumb.analytics.telemetry.SpanRow;
import java.util.List;

/**
 * What the loader needs of each span that depends on that span alone: ids lower-cased and as
 * the integers that {@code span_rows} stores (and {@link ParentResolver} keys its memories by),
 * {@code trace_key}, {@code code_function} and the attribute JSON. It is computed by the thread
 * that submits the batch, many of which run at once, so the single loader thread only decides
 * parents and appends. Building it refuses a span whose ids are not 32 and 16 hex digits.
 */
record PreparedSpans(String[] traceIds, String[] spanIds, String[] parentIds, long[] traceKeys, String[] codeFunctions,
                     String[] attributes, long[] traceHigh, long[] traceLow, long[] spanBits, long[] parentBits) {

    static PreparedSpans of(List<SpanRow> spans) {
        int n = spans.size();
        PreparedSpans p = empty(n);
        for (int i = 0; i < n; i++) {
            SpanRow s = spans.get(i);
            String traceId = ParentResolver.lower(s.traceId());
            String spanId = ParentResolver.lower(s.spanId());
            String parentId = ParentResolver.lower(s.parentSpanId());
            checkLengths(s, traceId, spanId, parentId);
            p.traceHigh[i] = hexBits(traceId, 0);
            p.traceLow[i] = hexBits(traceId, 16);
            p.spanBits[i] = hexBits(spanId, 0);
            p.parentBits[i] = parentId.isEmpty() ? 0 : hexBits(parentId, 0);
            p.traceIds[i] = traceId;
            p.spanIds[i] = spanId;
            p.parentIds[i] = parentId;
            p.traceKeys[i] = p.traceHigh[i] >>> 4; // TraceKey.of(traceId): its first 15 hex digits
            Object function = s.attributes().get("code.function.name");
            p.codeFunctions[i] = function == null || function.toString().isEmpty() ? null : function.toString();
            p.attributes[i] = AttributeJson.encode(s.attributes());
        }
        return p;
    }

    /**
     * Refuses spans that {@link #of} could not prepare: ids other than 32 (trace) and 16 (span)
     * hex digits. The submitting thread calls it, so that such a batch fails before it is
     * acknowledged; {@link #of} runs later, on the store's own thread.
     */
    static void check(List<SpanRow> spans) {
        for (SpanRow s : spans) {
            String traceId = ParentResolver.lower(s.traceId());
            String spanId = ParentResolver.lower(s.spanId());
            String parentId = ParentResolver.lower(s.parentSpanId());
            checkLengths(s, traceId, spanId, parentId);
            hexBits(traceId, 0);
            hexBits(traceId, 16);
            hexBits(spanId, 0);
            if (!parentId.isEmpty()) {
                hexBits(parentId, 0);
            }
        }
    }

    private static void checkLengths(SpanRow s, String traceId, String spanId, String parentId) {
        if (traceId.length() != 32 || spanId.length() != 16 || !(parentId.isEmpty() || parentId.length() == 16)) {
            throw new IllegalArgumentException("span '" + s.name() + "' has trace id '" + traceId + "', span id '"
                    + spanId + "' and parent span id '" + parentId
                    + "': ids must be 32 (trace) and 16 (span) hex digits, as OTLP's 16 and 8 bytes");
        }
    }

    private static PreparedSpans empty(int n) {
        return new PreparedSpans(new String[n], new String[n], new String[n], new long[n], new String[n],
                new String[n], new long[n], new long[n], new long[n], new long[n]);
    }

    /** The 16 hex digits of {@code id} from {@code from} as the 64 bits they spell (unsigned, so any of them). */
    private static long hexBits(String id, int from) {
        long bits = 0;
        for (int i = from; i < from + 16; i++) {
            char c = id.charAt(i);
            // ASCII only: Character.digit would also take other scripts' digits.
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("id '" + id + "' is not hexadecimal: '" + id.charAt(i)
                        + "' at position " + (i + 1));
            }
            bits = bits << 4 | digit;
        }
        return bits;
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
        PreparedSpans all = empty(n);
        int at = 0;
        for (PreparedSpans p : parts) {
            int k = p.size();
            System.arraycopy(p.traceIds, 0, all.traceIds, at, k);
            System.arraycopy(p.spanIds, 0, all.spanIds, at, k);
            System.arraycopy(p.parentIds, 0, all.parentIds, at, k);
            System.arraycopy(p.traceKeys, 0, all.traceKeys, at, k);
            System.arraycopy(p.codeFunctions, 0, all.codeFunctions, at, k);
            System.arraycopy(p.attributes, 0, all.attributes, at, k);
            System.arraycopy(p.traceHigh, 0, all.traceHigh, at, k);
            System.arraycopy(p.traceLow, 0, all.traceLow, at, k);
            System.arraycopy(p.spanBits, 0, all.spanBits, at, k);
            System.arraycopy(p.parentBits, 0, all.parentBits, at, k);
            at += k;
        }
        return all;
    }
}
