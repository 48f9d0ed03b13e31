package dev.plumb.analytics.logs;

/**
 * A log query that does not parse: {@code position} is the 0-based column of the offending
 * character, {@code hint} says how to fix it.
 */
public final class LogQueryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int position;
    private final String hint;

    public LogQueryException(String message, int position, String hint) {
        super(message);
        this.position = position;
        this.hint = hint;
    }

    public int position() {
        return position;
    }

    public String hint() {
        return hint;
    }
}
