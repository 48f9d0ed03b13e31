package dev.plumb.agent.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The {@code monitor.duration} histogram, recorded once per call in the Prometheus client's
 * lock-free histogram and read by both the Prometheus endpoint and the OTLP metric export.
 *
 * <p>One recording serves both exports because the Prometheus client's update is a few striped
 * additions, several times cheaper than the OpenTelemetry SDK's synchronous instrument.
 */
public final class DurationHistogram {

    /** The Prometheus name; OpenTelemetry's {@code monitor.duration} with unit seconds. */
    public static final String PROMETHEUS_NAME = "monitor_duration_seconds";

    /** Label names, in the order of {@link Histogram#labelValues}. */
    static final String FUNCTION = "code_function_name";
    static final String OUTCOME = "outcome";
    static final String ERROR_TYPE = "error_type";

    /** Upper bounds in seconds: OpenTelemetry's default boundaries for second-valued durations. */
    static final double[] UPPER_BOUNDS = {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
    };

    private final Histogram histogram;
    private final int maxSeriesPerMethod;

    /**
     * Creates the histogram and registers it.
     *
     * @param registry           the registry the Prometheus endpoint serves
     * @param maxSeriesPerMethod series per method (outcomes and error types) before the overflow label
     */
    public DurationHistogram(PrometheusRegistry registry, int maxSeriesPerMethod) {
        this.maxSeriesPerMethod = maxSeriesPerMethod;
        this.histogram = Histogram.builder()
                .name(PROMETHEUS_NAME)
                .help("Duration of calls of @Monitor methods, by outcome.")
                .unit(Unit.SECONDS)
                .labelNames(FUNCTION, OUTCOME, ERROR_TYPE)
                .classicOnly()
                .classicUpperBounds(UPPER_BOUNDS)
                .register(registry);
    }

    /** The series of one method; resolve it once, when the method is instrumented. */
    public MethodSeries forMethod(String functionName) {
        return new MethodSeries(histogram, functionName, maxSeriesPerMethod);
    }

    /** The current state of every series, for the OTLP export. */
    HistogramSnapshot collect() {
        return histogram.collect();
    }
}
