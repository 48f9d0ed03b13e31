package dev.plumb.analytics.metrics;

import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.schema.AttributeJson;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One metric as a time series: one value per {@code step} from the window's start, over every
 * series (service, attributes and resource) of the metric that matches the filters.
 *
 * <p>Counters, histograms and summaries are turned into increases first, per series: a delta
 * point is its own increase; a cumulative point's increase is its difference from the series'
 * previous point, or the point itself when the series restarted (its start time changed or its
 * count fell) or began after the earliest point read. Points up to {@link #lookback} before the
 * window are read only to serve as the previous point. Percentiles merge the increases'
 * buckets ({@link BucketMerge}), so they cover exactly the observations made in the step.
 */
public final class MetricSeriesQuery {
    /** Most exemplars an answer carries, newest first. */
    public static final int MAX_EXEMPLARS = 100;
    public static final int MAX_STEPS = 10_000;

    private static final String TYPE = """
            SELECT type, bool_or(monotonic), max(unit) FROM metric_points
            WHERE name = ? AND time_nanos >= ? AND time_nanos < ? %s
            GROUP BY type ORDER BY max(time_nanos) DESC LIMIT 1
            """;

    private static final String POINTS = """
            SELECT service || chr(31) || CAST(attributes AS VARCHAR) || chr(31) || CAST(resource AS VARCHAR) AS series,
                   temporality, start_nanos, time_nanos, value, count, sum, min, max, bounds, bucket_counts
            FROM metric_points
            WHERE name = ? AND type = ? AND time_nanos >= ? AND time_nanos < ? %s
            ORDER BY series, time_nanos
            """;

    private static final String EXEMPLARS = """
            SELECT time_nanos, service, value, trace_id, span_id, attributes FROM metric_exemplars
            WHERE metric_name = ? AND time_nanos >= ? AND time_nanos < ? %s
            ORDER BY time_nanos DESC LIMIT ?
            """;

    private MetricSeriesQuery() {
    }

    /** How far before the window previous points of cumulative series are looked for. */
    static long lookback(Duration step) {
        return Math.max(step.toNanos(), Duration.ofMinutes(15).toNanos());
    }

    /**
     * The series of metric {@code name}; {@code service} may be null (every service),
     * {@code agg} null (the type's default), {@code attributes} empty. Throws
     * {@link MetricQueryException} when the metric has no point in the window or {@code agg}
     * does not fit it.
     */
    public static MetricSeries series(Connection connection, String name, String service, TimeRange range,
                                      Duration step, String agg, Map<String, String> attributes) throws SQLException {
        long from = range.fromNanos();
        long to = range.toNanos();
        long stepNanos = step.toNanos();
        long steps = Math.max(1, (to - from + stepNanos - 1) / stepNanos);
        if (steps > MAX_STEPS) {
            throw new MetricQueryException("step", "step " + step + " cuts the window into " + steps + " points",
                    "use a larger step (at most " + MAX_STEPS + " points)", false);
        }
        String serviceFilter = service == null ? "" : " AND service = ?";
        String type;
        boolean monotonic;
        String unit;
        try (PreparedStatement ps = connection.prepareStatement(TYPE.formatted(serviceFilter))) {
            ps.setString(1, name);
            ps.setLong(2, from);
            ps.setLong(3, to);
            if (service != null) {
                ps.setString(4, service);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new MetricQueryException("name", "no metric '" + name + "'"
                            + (service == null ? "" : " of service '" + service + "'") + " has points in this window",
                            "the stored metrics are listed by /api/v1/metrics", true);
                }
                type = rs.getString(1);
                monotonic = rs.getBoolean(2);
                unit = rs.getString(3);
            }
        }
        MetricAgg how = MetricAgg.parse(agg, type, monotonic);
        Steps out = new Steps((int) steps, from, stepNanos, how, !type.equals("SUM") && !type.equals("GAUGE"));
        StringBuilder filters = new StringBuilder(serviceFilter);
        List<String> params = new ArrayList<>();
        if (service != null) {
            params.add(service);
        }
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            filters.append(" AND json_extract_string(attributes, ?) = ?");
            params.add("/" + a.getKey().replace("~", "~0").replace("/", "~1"));
            params.add(a.getValue());
        }
        long readFrom = from - lookback(step);
        int seriesCount = 0;
        try (PreparedStatement ps = connection.prepareStatement(POINTS.formatted(filters))) {
            int i = 1;
            ps.setString(i++, name);
            ps.setString(i++, type);
            ps.setLong(i++, readFrom);
            ps.setLong(i++, to);
            for (String p : params) {
                ps.setString(i++, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                Point previous = null;
                while (rs.next()) {
                    Point p = Point.read(rs);
                    boolean sameSeries = previous != null && previous.series.equals(p.series);
                    if (!sameSeries) {
                        out.endSeries();
                        if (p.time >= from) {
                            seriesCount++;
                        }
                    } else if (previous.time < from && p.time >= from) {
                        seriesCount++;
                    }
                    if (p.time >= from) {
                        out.add(p, sameSeries ? previous : null, readFrom);
                    }
                    previous = p;
                }
                out.endSeries();
            }
        }
        return new MetricSeries(name, type, unit, how.apiName(), seriesCount, out.values(range.from(), step),
                exemplars(connection, name, service, from, to));
    }

    private static List<ExemplarView> exemplars(Connection connection, String name, String service, long from, long to)
            throws SQLException {
        List<ExemplarView> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(EXEMPLARS.formatted(service == null ? "" : " AND service = ?"))) {
            int i = 1;
            ps.setString(i++, name);
            ps.setLong(i++, from);
            ps.setLong(i++, to);
            if (service != null) {
                ps.setString(i++, service);
            }
            ps.setInt(i, MAX_EXEMPLARS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExemplarView(Instant.ofEpochSecond(0, rs.getLong(1)), rs.getString(2), rs.getDouble(3),
                            rs.getString(4), rs.getString(5), AttributeJson.decode(rs.getString(6))));
                }
            }
        }
        return out;
    }

    /** A stored point as the series computation needs it. */
    private record Point(String series, boolean delta, long start, long time, double value, long count, double sum,
                         double min, double max, double[] bounds, long[] counts) {
        static Point read(ResultSet rs) throws SQLException {
            return new Point(rs.getString(1), "DELTA".equals(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                    number(rs, 5), rs.getLong(6), number(rs, 7), number(rs, 8), number(rs, 9),
                    doubles(rs.getArray(10)), longs(rs.getArray(11)));
        }

        /**
         * Whether this cumulative point starts over rather than continuing {@code previous}: no
         * previous point, a new start time, or a count that fell.
         */
        boolean restarts(Point previous) {
            return previous == null || previous.start != start || count < previous.count
                    || (Double.isFinite(value) && Double.isFinite(previous.value) && value < previous.value);
        }
    }

    /** The per-step accumulators of one answer. */
    private static final class Steps {
        private final long from;
        private final long stepNanos;
        private final MetricAgg agg;
        /** Histograms and summaries: a rate counts observations; counters: their value. */
        private final boolean observations;
        private final double[] total;
        private final long[] n;
        private final double[] min;
        private final double[] max;
        private final double[] sum;
        private final BucketMerge[] buckets;
        /** The current series' last value in its current step, for {@link MetricAgg#LAST_SUM}. */
        private int lastStep = -1;
        private double lastValue;

        Steps(int steps, long from, long stepNanos, MetricAgg agg, boolean observations) {
            this.observations = observations;
            this.from = from;
            this.stepNanos = stepNanos;
            this.agg = agg;
            total = new double[steps];
            n = new long[steps];
            min = new double[steps];
            max = new double[steps];
            sum = new double[steps];
            buckets = new BucketMerge[steps];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        void add(Point p, Point previous, long readFrom) {
            int s = (int) ((p.time - from) / stepNanos);
            if (observations) {
                increase(s, p, previous, readFrom);
                return;
            }
            switch (agg) {
                case AVG, MIN, MAX -> {
                    total[s] += p.value;
                    n[s]++;
                    min[s] = Math.min(min[s], p.value);
                    max[s] = Math.max(max[s], p.value);
                }
                case LAST_SUM -> {
                    if (s != lastStep) {
                        endSeries();
                    }
                    lastStep = s;
                    lastValue = p.value;
                }
                default -> increase(s, p, previous, readFrom);
            }
        }

        /** Adds what {@code p} adds to its series since {@code previous}. */
        private void increase(int s, Point p, Point previous, long readFrom) {
            int weightOfPrevious;
            if (p.delta) {
                weightOfPrevious = 0;
            } else if (p.restarts(previous)) {
                if (previous == null && p.start < readFrom) {
                    return; // began before anything read: no baseline to measure from
                }
                weightOfPrevious = 0;
            } else {
                weightOfPrevious = -1;
            }
            Point base = weightOfPrevious == 0 ? null : previous;
            if (Double.isFinite(p.value)) {
                total[s] += p.value - (base == null ? 0 : base.value);
            }
            n[s] += p.count - (base == null ? 0 : base.count);
            if (Double.isFinite(p.sum)) {
                sum[s] += p.sum - (base == null || !Double.isFinite(base.sum) ? 0 : base.sum);
            }
            if (p.counts.length > 0 && (agg == MetricAgg.P50 || agg == MetricAgg.P95 || agg == MetricAgg.P99)) {
                if (buckets[s] == null) {
                    buckets[s] = new BucketMerge();
                }
                buckets[s].add(p.bounds, p.counts, p.min, p.max, 1);
                if (base != null) {
                    // A cumulative point's min and max hold for every earlier observation of its series too.
                    buckets[s].add(base.bounds, base.counts, p.min, p.max, -1);
                }
            }
        }

        void endSeries() {
            if (lastStep >= 0) {
                total[lastStep] += lastValue;
                n[lastStep]++;
                lastStep = -1;
            }
        }

        List<MetricValue> values(Instant start, Duration step) {
            double seconds = stepNanos / 1e9;
            List<MetricValue> out = new ArrayList<>(total.length);
            for (int s = 0; s < total.length; s++) {
                double v = switch (agg) {
                    case AVG -> n[s] == 0 ? Double.NaN : (observations ? sum[s] : total[s]) / n[s];
                    case MIN -> n[s] == 0 ? Double.NaN : min[s];
                    case MAX -> n[s] == 0 ? Double.NaN : max[s];
                    case LAST_SUM -> n[s] == 0 ? Double.NaN : total[s];
                    case INCREASE -> total[s];
                    case RATE -> (observations ? n[s] : total[s]) / seconds;
                    case COUNT -> n[s];
                    case SUM -> sum[s];
                    case P50 -> buckets[s] == null ? Double.NaN : buckets[s].quantile(0.50);
                    case P95 -> buckets[s] == null ? Double.NaN : buckets[s].quantile(0.95);
                    case P99 -> buckets[s] == null ? Double.NaN : buckets[s].quantile(0.99);
                };
                out.add(new MetricValue(start.plus(step.multipliedBy(s)), v));
            }
            return out;
        }

    }

    private static double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static double[] doubles(Array array) throws SQLException {
        Object[] values = array == null ? new Object[0] : (Object[]) array.getArray();
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values[i]).doubleValue();
        }
        return out;
    }

    private static long[] longs(Array array) throws SQLException {
        Object[] values = array == null ? new Object[0] : (Object[]) array.getArray();
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values[i]).longValue();
        }
        return out;
    }
}
