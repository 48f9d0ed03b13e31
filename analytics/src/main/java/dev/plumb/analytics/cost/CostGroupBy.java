package dev.plumb.analytics.cost;

import java.util.Arrays;
import java.util.Locale;

/** What cost rows are summed by. */
public enum CostGroupBy {
    SERVICE, TEAM, NAMESPACE;

    /** The column of {@code cost_pod_hour} that holds the group. */
    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code service}, {@code team} or {@code namespace}; anything else names the choices. */
    public static CostGroupBy parse(String text) {
        for (CostGroupBy g : values()) {
            if (g.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return g;
            }
        }
        throw new IllegalArgumentException("groupBy '" + text + "' is not one of "
                + Arrays.stream(values()).map(CostGroupBy::column).toList());
    }
}
