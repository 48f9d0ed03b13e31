package dev.plumb.analytics.cost;

import dev.plumb.analytics.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the days whose cost left their recent range: the lowest and highest of the seven days
 * before (a service needs three such days to be judged; days without cost after its first count
 * as zero). A day is flagged when it is beyond that range by more than {@code minChange} of the
 * bound it crossed and by more than {@code minAmount}; consecutive flagged days in the same
 * direction are one anomaly, reported on its first day. Only days that have ended by the
 * window's end are judged.
 */
final class CostAnomalies {
    static final int HISTORY_DAYS = 7;
    private static final int MIN_HISTORY = 3;
    private static final int TOP_DRIVERS = 3;

    /** The drivers of a service's change from the day before {@code day} to {@code day}. */
    @FunctionalInterface
    interface Drivers {
        List<CostDriver> of(String service, Instant day);
    }

    private final double minChange;
    private final double minAmount;

    CostAnomalies(double minChange, double minAmount) {
        if (!(minChange >= 0) || !(minAmount >= 0)) {
            throw new IllegalArgumentException("minimum change and amount must be >= 0");
        }
        this.minChange = minChange;
        this.minAmount = minAmount;
    }

    List<CostAnomaly> find(Map<String, List<CostTrend.Point>> daily, TimeRange range, Drivers drivers) {
        List<CostAnomaly> out = new ArrayList<>();
        Instant firstDay = range.from().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        for (var e : daily.entrySet()) {
            TreeMap<Instant, Double> cost = new TreeMap<>();
            e.getValue().forEach(p -> cost.merge(p.ts(), p.total(), Double::sum));
            Instant first = cost.firstKey();
            int direction = 0;
            CostAnomaly open = null;
            // Only whole days are judged: the day still in progress would always look like a drop.
            for (Instant day = first; !day.plus(Duration.ofDays(1)).isAfter(range.to());
                    day = day.plus(Duration.ofDays(1))) {
                double today = cost.getOrDefault(day, 0.0);
                double low = Double.MAX_VALUE;
                double high = -Double.MAX_VALUE;
                int seen = 0;
                for (int back = 1; back <= HISTORY_DAYS; back++) {
                    Instant before = day.minus(Duration.ofDays(back));
                    if (!before.isBefore(first)) {
                        double v = cost.getOrDefault(before, 0.0);
                        low = Math.min(low, v);
                        high = Math.max(high, v);
                        seen++;
                    }
                }
                int now = 0;
                double deviation = 0;
                if (seen >= MIN_HISTORY) {
                    if (today - high > minAmount && today - high > minChange * high) {
                        now = 1;
                        deviation = today - high;
                    } else if (low - today > minAmount && low - today > minChange * low) {
                        now = -1;
                        deviation = today - low;
                    }
                }
                if (now != 0 && now == direction && open != null) {
                    boolean reported = !open.day().isBefore(firstDay);
                    open = new CostAnomaly(open.service(), open.day(), open.cost(), open.expectedLow(),
                            open.expectedHigh(), open.deviation(), open.days() + 1, open.drivers());
                    if (reported) {
                        out.set(out.size() - 1, open);
                    }
                } else if (now != 0 && day.isBefore(firstDay)) {
                    // a run that began before the window was reported then, not again
                    open = new CostAnomaly(e.getKey(), day, today, low, high, deviation, 1, List.of());
                } else if (now != 0) {
                    List<CostDriver> top = drivers.of(e.getKey(), day).stream()
                            .sorted(Comparator.comparingDouble((CostDriver d) -> -Math.abs(d.delta())))
                            .limit(TOP_DRIVERS).toList();
                    open = new CostAnomaly(e.getKey(), day, today, low, high, deviation, 1, top);
                    out.add(open);
                } else {
                    open = null;
                }
                direction = now;
            }
        }
        out.sort(Comparator.comparing(CostAnomaly::day).reversed().thenComparing(CostAnomaly::service));
        return out;
    }
}
