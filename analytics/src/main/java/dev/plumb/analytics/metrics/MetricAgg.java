package dev.plumb.analytics.metrics;

import java.util.List;
import java.util.Locale;

/**
 * How a metric's points become one value per step, and which apply to which kind of metric.
 * Gauges and sums that go up and down: {@code avg}, {@code min}, {@code max} of the points in
 * the step, or {@code sum} of each series' last value. Counters (monotonic sums): {@code rate}
 * per second, or the {@code increase}. Histograms: {@code p50}, {@code p95}, {@code p99} from
 * the merged buckets, {@code count}, {@code rate} (observations per second), {@code sum},
 * {@code avg} (sum / count). Summaries: {@code rate}, {@code count}, {@code sum}, {@code avg}.
 */
public enum MetricAgg {
    AVG, MIN, MAX, SUM, LAST_SUM, RATE, INCREASE, COUNT, P50, P95, P99;

    /** The name used in the API. */
    public String apiName() {
        return this == LAST_SUM ? "sum" : name().toLowerCase(Locale.ROOT);
    }

    /** The aggregations of a metric of {@code type}, its default first. */
    public static List<MetricAgg> allowed(String type, boolean monotonic) {
        return switch (type) {
            case "HISTOGRAM", "EXPONENTIAL_HISTOGRAM" -> List.of(P95, P50, P99, COUNT, RATE, SUM, AVG);
            case "SUMMARY" -> List.of(RATE, COUNT, SUM, AVG);
            case "SUM" -> monotonic ? List.of(RATE, INCREASE) : List.of(AVG, MIN, MAX, LAST_SUM);
            default -> List.of(AVG, MIN, MAX, LAST_SUM);
        };
    }

    /** The API names of {@link #allowed}. */
    public static List<String> names(String type, boolean monotonic) {
        return allowed(type, monotonic).stream().map(MetricAgg::apiName).toList();
    }

    /** {@code text} for a metric of {@code type}, or its default when {@code text} is null. */
    public static MetricAgg parse(String text, String type, boolean monotonic) {
        List<MetricAgg> allowed = allowed(type, monotonic);
        if (text == null) {
            return allowed.get(0);
        }
        for (MetricAgg agg : allowed) {
            if (agg.apiName().equals(text.toLowerCase(Locale.ROOT))) {
                return agg;
            }
        }
        throw new MetricQueryException("agg", "agg '" + text + "' does not apply to a " + type
                + (type.equals("SUM") ? (monotonic ? " (counter)" : " (up-down)") : "") + " metric",
                "use one of " + String.join(", ", names(type, monotonic)), false);
    }
}
