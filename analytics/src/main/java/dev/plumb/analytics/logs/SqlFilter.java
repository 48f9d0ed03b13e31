package dev.plumb.analytics.logs;

import java.util.List;

/**
 * A SQL boolean expression with {@code ?} placeholders and the values to bind to them, in
 * order. Values never appear in {@code sql}: it is built only from fixed fragments.
 */
public record SqlFilter(String sql, List<Object> parameters) {
    public SqlFilter {
        parameters = List.copyOf(parameters);
    }
}
