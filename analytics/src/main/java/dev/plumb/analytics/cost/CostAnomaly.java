package dev.plumb.analytics.cost;

import java.time.Instant;
import java.util.List;

/**
 * A day whose cost left the range of the days before it by more than the set percentage and
 * amount, reported once for a run of such days ({@code days} long), with the drivers of the
 * change from the day before it.
 */
public record CostAnomaly(String service, Instant day, double cost, double expectedLow, double expectedHigh,
                          double deviation, int days, List<CostDriver> drivers) {
    public CostAnomaly {
        drivers = List.copyOf(drivers);
    }
}
