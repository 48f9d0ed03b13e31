package dev.plumb.agent.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The histogram series of one monitored method, one per outcome and error type.
 *
 * <p>The {@code ok} series is resolved up front so that the common path is a field read and an
 * observation. Error types are open-ended, so they are capped: past the cap every new error type
 * is counted under {@link #OVERFLOW_ERROR_TYPE}, keeping memory bounded whatever the app throws.
 */
public final class MethodSeries {

    /** The {@code error_type} of errors whose type did not fit under the series cap. */
    public static final String OVERFLOW_ERROR_TYPE = "_overflow";

    private final Histogram histogram;
    private final String functionName;
    private final int maxErrorTypes;
    private final DistributionDataPoint ok;
    private final ConcurrentHashMap<String, DistributionDataPoint> errors = new ConcurrentHashMap<>();
    private volatile DistributionDataPoint cancelled;
    private volatile DistributionDataPoint overflow;

    MethodSeries(Histogram histogram, String functionName, int maxSeries) {
        this.histogram = histogram;
        this.functionName = functionName;
        // ok, cancelled and the overflow series count against the cap too.
        this.maxErrorTypes = Math.max(1, maxSeries - 3);
        this.ok = histogram.labelValues(functionName, "ok", "");
    }

    /** Records a call that ended normally (or with an expected exception). */
    public void ok(long nanos) {
        ok.observe(nanos / 1e9);
    }

    /** Records a call whose future was cancelled. */
    public void cancelled(long nanos) {
        DistributionDataPoint point = cancelled;
        if (point == null) {
            point = histogram.labelValues(functionName, "cancelled", "");
            cancelled = point;
        }
        point.observe(nanos / 1e9);
    }

    /** Records a call that failed with the given exception class name. */
    public void error(long nanos, String errorType) {
        errorPoint(errorType).observe(nanos / 1e9);
    }

    private DistributionDataPoint errorPoint(String errorType) {
        DistributionDataPoint point = errors.get(errorType);
        if (point != null) {
            return point;
        }
        if (errors.size() >= maxErrorTypes) {
            DistributionDataPoint over = overflow;
            if (over == null) {
                over = histogram.labelValues(functionName, "error", OVERFLOW_ERROR_TYPE);
                overflow = over;
            }
            return over;
        }
        return errors.computeIfAbsent(errorType, type -> histogram.labelValues(functionName, "error", type));
    }
}
