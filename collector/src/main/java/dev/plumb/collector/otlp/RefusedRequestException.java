package dev.plumb.collector.otlp;

/**
 * An OTLP request refused whole before any record is stored; the message tells the sender what
 * is wrong and {@link #reason()} labels it in the collector's metrics.
 */
final class RefusedRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused; each maps to one HTTP status and one gRPC status. */
    enum Reason {
        MALFORMED("malformed", 400), TOO_LARGE("too_large", 413);

        final String label;
        final int httpStatus;

        Reason(String label, int httpStatus) {
            this.label = label;
            this.httpStatus = httpStatus;
        }
    }

    private final Reason reason;

    RefusedRequestException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    static RefusedRequestException malformed(String message) {
        return new RefusedRequestException(Reason.MALFORMED, message);
    }

    Reason reason() {
        return reason;
    }
}
