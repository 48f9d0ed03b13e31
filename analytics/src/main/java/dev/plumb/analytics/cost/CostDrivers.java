package dev.plumb.analytics.cost;

import java.util.List;

/**
 * Why cost changed between a baseline and a current period: totals rounded to the cent and the
 * drivers, largest first, whose deltas add up to {@code delta} exactly.
 */
public record CostDrivers(String currency, double baselineTotal, double currentTotal, double delta,
                          List<CostDriver> drivers) {
    public CostDrivers {
        drivers = List.copyOf(drivers);
    }
}
