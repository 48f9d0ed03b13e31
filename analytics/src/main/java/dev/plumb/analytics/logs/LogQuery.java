package dev.plumb.analytics.logs;

import java.util.List;

/**
 * The syntax tree of a query in Plumb's log query language, as {@link LogQueryParser} builds
 * it and {@link SqlCompiler} turns it into SQL. Every leaf keeps the 0-based column where it
 * started so that a compile-time error (an unknown severity) can point at it.
 */
public sealed interface LogQuery {

    /** Matches every record: the empty query. */
    record All() implements LogQuery {
    }

    /** Every part must match ({@code a AND b}, or {@code a b}). */
    record And(List<LogQuery> parts) implements LogQuery {
        public And {
            parts = List.copyOf(parts);
        }
    }

    /** At least one part must match ({@code a OR b}). */
    record Or(List<LogQuery> parts) implements LogQuery {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    /** The inner query must not match ({@code NOT a}); a missing field counts as not matching. */
    record Not(LogQuery inner) implements LogQuery {
    }

    /** A word or quoted phrase without a field: contained in the body (logs) or the name (spans), ignoring case. */
    record Text(String text, int column) implements LogQuery {
    }

    /** {@code field:value}, {@code field:"a phrase"}, {@code field:prefix*} or {@code field:*} (the field is present). */
    record FieldMatch(String field, String value, MatchKind kind, int column) implements LogQuery {
    }

    /** {@code field>500ms}: a numeric comparison; {@code unit} is null when the number had none. */
    record Comparison(String field, Operator operator, double number, DurationUnit unit, int column) implements LogQuery {
    }

    /** How the value of a {@link FieldMatch} is compared. */
    enum MatchKind { EXACT, PHRASE, PREFIX, EXISTS }

    /** The operators of a {@link Comparison}, with their SQL spelling. */
    enum Operator {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=");

        private final String sql;

        Operator(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }
    }

    /** Units a duration comparison may carry, with their length in nanoseconds. */
    enum DurationUnit {
        NS("ns", 1L), US("us", 1_000L), MS("ms", 1_000_000L), S("s", 1_000_000_000L),
        M("m", 60_000_000_000L), H("h", 3_600_000_000_000L);

        private final String suffix;
        private final long nanos;

        DurationUnit(String suffix, long nanos) {
            this.suffix = suffix;
            this.nanos = nanos;
        }

        public String suffix() {
            return suffix;
        }

        public long nanos() {
            return nanos;
        }

        /** The unit written as {@code suffix}, or null. */
        public static DurationUnit ofSuffix(String suffix) {
            for (DurationUnit unit : values()) {
                if (unit.suffix.equals(suffix)) {
                    return unit;
                }
            }
            return "µs".equals(suffix) ? US : null;
        }
    }
}
