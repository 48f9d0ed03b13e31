package dev.plumb.analytics.logs;

import dev.plumb.analytics.logs.LogQuery.Comparison;
import dev.plumb.analytics.logs.LogQuery.DurationUnit;
import dev.plumb.analytics.logs.LogQuery.FieldMatch;
import dev.plumb.analytics.logs.LogQuery.MatchKind;
import dev.plumb.analytics.schema.AttributeJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link LogQuery} into a parameterised SQL condition over the {@code logs} or
 * {@code spans} table. Field names select a column or become a JSON pointer <em>parameter</em>
 * into {@code attributes} (then {@code resource}); no part of the query text is pasted into SQL.
 *
 * <p>Built-in fields. Logs: {@code service}, {@code severity} / {@code status} / {@code level}
 * (a level name means that level or worse: {@code status:error} is {@code severity_number >= 17};
 * a number compares {@code severity_number}), {@code trace_id}, {@code span_id},
 * {@code body} / {@code message}. Spans: {@code service}, {@code name}, {@code kind},
 * {@code status} ({@code ok}, {@code error}, {@code unset}), {@code trace_id}, {@code span_id},
 * {@code duration} (the span's; a bare number means milliseconds). Any other name is an attribute.
 * A comparison on an attribute with a duration unit converts the number to milliseconds.
 */
public final class SqlCompiler {
    private static final String ATTRIBUTE =
            "COALESCE(json_extract_string(attributes, ?), json_extract_string(resource, ?))";

    private final QueryTarget target;
    private final List<Object> params = new ArrayList<>();

    private SqlCompiler(QueryTarget target) {
        this.target = target;
    }

    /** The SQL condition of {@code query} for {@code target}; throws {@link LogQueryException} on unknown levels. */
    public static SqlFilter compile(LogQuery query, QueryTarget target) {
        SqlCompiler compiler = new SqlCompiler(target);
        String sql = compiler.condition(query);
        return new SqlFilter(sql, compiler.params);
    }

    /** Parses and compiles in one step. */
    public static SqlFilter compile(String query, QueryTarget target) {
        return compile(LogQueryParser.parse(query), target);
    }

    private String condition(LogQuery query) {
        if (query instanceof LogQuery.All) {
            return "TRUE";
        }
        if (query instanceof LogQuery.And and) {
            return join(and.parts(), " AND ");
        }
        if (query instanceof LogQuery.Or or) {
            return join(or.parts(), " OR ");
        }
        if (query instanceof LogQuery.Not not) {
            // A row without the field must count as "not matching", so NULL becomes FALSE first.
            return "NOT COALESCE(" + condition(not.inner()) + ", FALSE)";
        }
        if (query instanceof LogQuery.Text text) {
            return contains(target == QueryTarget.LOGS ? "body" : "name", text.text());
        }
        if (query instanceof FieldMatch match) {
            return match(match);
        }
        return compare((Comparison) query);
    }

    private String join(List<LogQuery> parts, String operator) {
        List<String> sql = new ArrayList<>(parts.size());
        for (LogQuery part : parts) {
            sql.add("(" + condition(part) + ")");
        }
        return String.join(operator, sql);
    }

    private String match(FieldMatch m) {
        String field = m.field().toLowerCase(Locale.ROOT);
        if (target == QueryTarget.LOGS) {
            switch (field) {
                case "service":
                    return column("service", m);
                case "severity", "status", "level":
                    return severity(m);
                case "trace_id", "traceid":
                    return column("trace_id", lowerCase(m));
                case "span_id", "spanid":
                    return column("span_id", lowerCase(m));
                case "body", "message", "msg":
                    return m.kind() == MatchKind.PREFIX ? bind("starts_with(lower(body), ?)", lower(m.value()))
                            : m.kind() == MatchKind.EXISTS ? bind("body <> ?", "") : contains("body", m.value());
                default:
                    return attribute(m);
            }
        }
        switch (field) {
            case "service":
                return column("service", m);
            case "name", "operation":
                return column("name", m);
            case "kind":
                return column("kind", upperCase(m));
            case "status":
                return spanStatus(m);
            case "trace_id", "traceid":
                return column("trace_id", lowerCase(m));
            case "span_id", "spanid":
                return column("span_id", lowerCase(m));
            default:
                return attribute(m);
        }
    }

    private String column(String column, FieldMatch m) {
        return switch (m.kind()) {
            case EXACT, PHRASE -> bind(column + " = ?", m.value());
            case PREFIX -> bind("starts_with(" + column + ", ?)", m.value());
            case EXISTS -> bind(column + " <> ?", "");
        };
    }

    private String attribute(FieldMatch m) {
        String pointer = AttributeJson.pointer(m.field());
        params.add(pointer);
        params.add(pointer);
        return switch (m.kind()) {
            case EXACT, PHRASE -> bind(ATTRIBUTE + " = ?", m.value());
            case PREFIX -> bind("starts_with(" + ATTRIBUTE + ", ?)", m.value());
            case EXISTS -> ATTRIBUTE + " IS NOT NULL";
        };
    }

    private String severity(FieldMatch m) {
        if (m.kind() == MatchKind.EXISTS) {
            return "severity_number > 0";
        }
        int floor = switch (m.value().toLowerCase(Locale.ROOT)) {
            case "trace" -> 1;
            case "debug" -> 5;
            case "info" -> 9;
            case "warn", "warning" -> 13;
            case "error", "err" -> 17;
            case "fatal", "critical" -> 21;
            default -> throw new LogQueryException("unknown severity '" + m.value() + "' for " + m.field()
                    + " at column " + m.column() + ": use one of trace, debug, info, warn, error, fatal",
                    m.column(), "use one of trace, debug, info, warn, error, fatal");
        };
        return bind("severity_number >= ?", floor);
    }

    private String spanStatus(FieldMatch m) {
        if (m.kind() == MatchKind.EXISTS) {
            return bind("status <> ?", "UNSET");
        }
        String status = m.value().toUpperCase(Locale.ROOT);
        if (!status.equals("OK") && !status.equals("ERROR") && !status.equals("UNSET")) {
            throw new LogQueryException("unknown span status '" + m.value() + "' at column " + m.column()
                    + ": use ok, error or unset", m.column(), "use ok, error or unset");
        }
        return bind("status = ?", status);
    }

    private String compare(Comparison c) {
        String field = c.field().toLowerCase(Locale.ROOT);
        String op = c.operator().sql();
        if (target == QueryTarget.SPANS && field.equals("duration")) {
            long unitNanos = c.unit() == null ? DurationUnit.MS.nanos() : c.unit().nanos();
            return bind("duration_nanos " + op + " ?", c.number() * unitNanos);
        }
        if (target == QueryTarget.LOGS && (field.equals("severity") || field.equals("status") || field.equals("level"))) {
            if (c.unit() != null) {
                throw new LogQueryException("severity at column " + c.column() + " is a number, not a duration: "
                        + "compare it with a plain number such as severity>=17", c.column(),
                        "compare it with a plain number such as severity>=17");
            }
            return bind("severity_number " + op + " ?", c.number());
        }
        double value = c.unit() == null ? c.number() : c.number() * c.unit().nanos() / DurationUnit.MS.nanos();
        String pointer = AttributeJson.pointer(c.field());
        params.add(pointer);
        params.add(pointer);
        return bind("TRY_CAST(" + ATTRIBUTE + " AS DOUBLE) " + op + " ?", value);
    }

    private String contains(String column, String text) {
        return bind("contains(lower(" + column + "), ?)", lower(text));
    }

    private String bind(String sql, Object value) {
        params.add(value);
        return sql;
    }

    private static FieldMatch lowerCase(FieldMatch m) {
        return new FieldMatch(m.field(), lower(m.value()), m.kind(), m.column());
    }

    private static FieldMatch upperCase(FieldMatch m) {
        return new FieldMatch(m.field(), m.value().toUpperCase(Locale.ROOT), m.kind(), m.column());
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
