package dev.plumb.analytics.cost;

import java.time.Instant;
import java.util.List;

/**
 * One group's cost series (one point per day) and its week-over-week change: the cost of the
 * seven days before the window's end against the seven days before those.
 *
 * @param changePercent the change as a percentage of the week before; null when that was zero
 */
public record CostTrend(String group, List<Point> series, double lastWeek, double weekBefore, double change,
                        Double changePercent) {
    public CostTrend {
        series = List.copyOf(series);
    }

    /** A day's total. */
    public record Point(Instant ts, double total) {
    }
}
