package dev.plumb.analytics.telemetry;

/** A span's kind, numbered as in OTLP's {@code Span.SpanKind}. */
public enum SpanKind {
    UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

    /** The kind for an OTLP enum number; unknown numbers map to {@link #UNSPECIFIED}. */
    public static SpanKind ofOtlp(int number) {
        SpanKind[] all = values();
        return number >= 0 && number < all.length ? all[number] : UNSPECIFIED;
    }
}
