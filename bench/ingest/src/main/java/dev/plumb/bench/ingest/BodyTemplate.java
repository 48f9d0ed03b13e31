package dev.plumb.bench.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A pre-encoded request body and where its ids and times are, so that a request costs the
 * sender one array copy and a few hundred byte writes: {@link #stamp} puts the request number
 * in the first four bytes of every trace and span id, which makes each request's traces new to
 * the server, and moves the spans' times to the moment of sending, as live traffic would have.
 *
 * @param format      the wire format of {@code body}
 * @param body        the encoded spans, ids starting with {@link TraceShape#MARKER}
 * @param idOffsets   where each id's first byte (protobuf) or first hex digit (JSON) is in {@code body}
 * @param timeOffsets where each time is: 8 little-endian bytes (protobuf) or a run of decimal digits (JSON)
 * @param timeDeltas  each time minus the template's start, in the format's unit (micros for Zipkin, else nanos)
 * @param spans       spans in the body
 * @param traceIds    the template's trace ids; stamped copies differ in their first eight hex digits
 */
record BodyTemplate(WireFormat format, byte[] body, int[] idOffsets, int[] timeOffsets, long[] timeDeltas,
                    int spans, List<String> traceIds) {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * {@code count} templates of {@code tracesPerBody} traces each ({@link TraceShape}), every
     * {@code errorEvery}-th trace failing, timed from {@code startMicros}. Deterministic for a seed.
     */
    static List<BodyTemplate> build(WireFormat format, int count, int tracesPerBody, int errorEvery,
                                    long startMicros, long seed) {
        if (startMicros < 1_000_000_000_000_000L || startMicros >= 10_000_000_000_000_000L) {
            // Times are found in the body by their digits, which must not occur anywhere else.
            throw new IllegalArgumentException("startMicros must be a time from 2001 to 2286 in epoch microseconds, was "
                    + startMicros);
        }
        Random random = new Random(seed);
        List<BodyTemplate> out = new ArrayList<>(count);
        for (int attempt = 0; out.size() < count; attempt++) {
            if (attempt > 10 * count) {
                throw new IllegalStateException("cannot lay out " + format.label + " bodies with unique ids and times");
            }
            List<BenchSpan> spans = TraceShape.traces(tracesPerBody, startMicros, errorEvery, random);
            BodyTemplate template = of(format, spans, startMicros);
            // Each span carries its trace id and its own id, and all but the roots a parent id.
            long ids = 2L * spans.size() + spans.stream().filter(s -> !s.parentId().isEmpty()).count();
            long times = (long) spans.size() * (format == WireFormat.ZIPKIN_JSON ? 1 : 2);
            // Random bytes elsewhere in a protobuf body could repeat a marker or a time; such a body is redrawn.
            if (template.idOffsets.length == ids && template.timeOffsets.length == times) {
                out.add(template);
            }
        }
        return out;
    }

    private static BodyTemplate of(WireFormat format, List<BenchSpan> spans, long startMicros) {
        byte[] body = format.encode(spans);
        byte[] marker = format.hexIds
                ? HEX.formatHex(TraceShape.MARKER).getBytes(StandardCharsets.US_ASCII)
                : TraceShape.MARKER;
        int[] ids = find(body, marker).stream().mapToInt(Integer::intValue).toArray();
        long unit = format == WireFormat.ZIPKIN_JSON ? 1 : 1_000;
        long base = startMicros * unit;
        Set<Long> values = new LinkedHashSet<>();
        for (BenchSpan s : spans) {
            values.add(s.startMicros() * unit);
            if (format != WireFormat.ZIPKIN_JSON) {
                values.add((s.startMicros() + s.durationMicros()) * unit);
            }
        }
        List<Integer> offsets = new ArrayList<>();
        List<Long> deltas = new ArrayList<>();
        for (long value : values) {
            for (int at : find(body, encodeTime(format, value))) {
                offsets.add(at);
                deltas.add(value - base);
            }
        }
        List<String> traces = spans.stream().map(BenchSpan::traceId).distinct().toList();
        return new BodyTemplate(format, body, ids, offsets.stream().mapToInt(Integer::intValue).toArray(),
                deltas.stream().mapToLong(Long::longValue).toArray(), spans.size(), traces);
    }

    /**
     * A copy of the body whose ids all begin with {@code request} (as four big-endian bytes) and
     * whose spans start {@code nowMicros} plus their offset in the template.
     */
    byte[] stamp(int request, long nowMicros) {
        byte[] copy = body.clone();
        for (int at : idOffsets) {
            if (format.hexIds) {
                for (int nibble = 0; nibble < 8; nibble++) {
                    copy[at + nibble] = DIGITS[(request >>> (28 - 4 * nibble)) & 0xf];
                }
            } else {
                copy[at] = (byte) (request >>> 24);
                copy[at + 1] = (byte) (request >>> 16);
                copy[at + 2] = (byte) (request >>> 8);
                copy[at + 3] = (byte) request;
            }
        }
        long base = nowMicros * (format == WireFormat.ZIPKIN_JSON ? 1 : 1_000);
        for (int i = 0; i < timeOffsets.length; i++) {
            long value = base + timeDeltas[i];
            int at = timeOffsets[i];
            if (format.hexIds) {
                // Same number of digits as the template's time (16 for micros, 19 for nanos, until 2286).
                int width = format == WireFormat.ZIPKIN_JSON ? 16 : 19;
                for (int d = width - 1; d >= 0; d--) {
                    copy[at + d] = (byte) ('0' + value % 10);
                    value /= 10;
                }
            } else {
                for (int b = 0; b < 8; b++) {
                    copy[at + b] = (byte) (value >>> (8 * b));
                }
            }
        }
        return copy;
    }

    /** The trace ids a {@link #stamp}ed copy carries. */
    List<String> traceIds(int request) {
        String prefix = String.format("%08x", request);
        return traceIds.stream().map(t -> prefix + t.substring(8)).toList();
    }

    private static byte[] encodeTime(WireFormat format, long value) {
        if (format.hexIds) {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] fixed64 = new byte[8];
        for (int b = 0; b < 8; b++) {
            fixed64[b] = (byte) (value >>> (8 * b));
        }
        return fixed64;
    }

    private static List<Integer> find(byte[] body, byte[] pattern) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i <= body.length - pattern.length; i++) {
            if (Arrays.equals(body, i, i + pattern.length, pattern, 0, pattern.length)) {
                found.add(i);
                i += pattern.length - 1;
            }
        }
        return found;
    }
}
