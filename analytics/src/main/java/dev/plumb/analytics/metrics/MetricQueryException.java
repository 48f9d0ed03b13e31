package dev.plumb.analytics.metrics;

/**
 * A metric query that cannot be answered as asked: an unknown metric ({@link #unknown()}) or a
 * parameter that does not fit it, naming the parameter and what would fit.
 */
public final class MetricQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String hint;
    private final boolean unknown;

    public MetricQueryException(String field, String message, String hint, boolean unknown) {
        super(message, null, false, false);
        this.field = field;
        this.hint = hint;
        this.unknown = unknown;
    }

    public String field() {
        return field;
    }

    public String hint() {
        return hint;
    }

    /** True when the metric itself is not stored in the window (rather than a bad parameter). */
    public boolean unknown() {
        return unknown;
    }
}
