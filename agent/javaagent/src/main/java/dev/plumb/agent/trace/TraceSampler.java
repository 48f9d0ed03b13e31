package dev.plumb.agent.trace;

import java.util.Locale;

/**
 * The sampler named by {@code OTEL_TRACES_SAMPLER} and {@code OTEL_TRACES_SAMPLER_ARG}, deciding
 * exactly as the OpenTelemetry SDK's samplers do but on the ids as longs: a ratio keeps a trace
 * when the absolute value of the trace id's lower half is below {@code ratio * Long.MAX_VALUE}
 * (the SDK's {@code TraceIdRatioBasedSampler}), and the parent-based forms follow the parent's
 * sampled flag whenever there is a parent.
 */
public final class TraceSampler {

    private final String name;
    private final boolean parentBased;
    /** Roots (or every span, when not parent-based) are kept when {@code |traceIdLow| < idUpperBound}. */
    private final long idUpperBound;
    private final boolean alwaysOn;

    private TraceSampler(String name, boolean parentBased, boolean alwaysOn, long idUpperBound) {
        this.name = name;
        this.parentBased = parentBased;
        this.alwaysOn = alwaysOn;
        this.idUpperBound = idUpperBound;
    }

    /**
     * The sampler of the standard settings.
     *
     * @param name the {@code OTEL_TRACES_SAMPLER} value
     * @param arg  the {@code OTEL_TRACES_SAMPLER_ARG} value, or null (ratio 1)
     * @throws IllegalArgumentException naming the setting that is wrong and how to fix it
     */
    public static TraceSampler of(String name, String arg) {
        return switch (name) {
            case "always_on" -> new TraceSampler(name, false, true, Long.MAX_VALUE);
            case "always_off" -> new TraceSampler(name, false, false, Long.MIN_VALUE);
            case "traceidratio" -> new TraceSampler(name, false, false, upperBound(ratio(arg)));
            case "parentbased_always_on" -> new TraceSampler(name, true, true, Long.MAX_VALUE);
            case "parentbased_always_off" -> new TraceSampler(name, true, false, Long.MIN_VALUE);
            case "parentbased_traceidratio" -> new TraceSampler(name, true, false, upperBound(ratio(arg)));
            default -> throw new IllegalArgumentException("OTEL_TRACES_SAMPLER=" + name + " is not supported;"
                    + " use always_on, always_off, traceidratio, parentbased_always_on,"
                    + " parentbased_always_off or parentbased_traceidratio");
        };
    }

    /** The SDK's bound: {@code Long.MIN_VALUE} keeps nothing, {@code Long.MAX_VALUE} keeps all but one id in 2^63. */
    private static long upperBound(double ratio) {
        if (ratio == 0.0) {
            return Long.MIN_VALUE;
        }
        if (ratio == 1.0) {
            return Long.MAX_VALUE;
        }
        return (long) (ratio * Long.MAX_VALUE);
    }

    /** The ratio of {@code OTEL_TRACES_SAMPLER_ARG}: 1 when absent. */
    static double ratio(String arg) {
        if (arg == null) {
            return 1.0;
        }
        try {
            double ratio = Double.parseDouble(arg);
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new NumberFormatException();
            }
            return ratio;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG=" + arg.toLowerCase(Locale.ROOT)
                    + " must be a ratio between 0 and 1, for example 0.25");
        }
    }

    /** True when no span without a parent is ever kept, so a root need not even draw its ids. */
    public boolean neverSamplesRoots() {
        return !alwaysOn && idUpperBound == Long.MIN_VALUE;
    }

    /** Whether a span without a parent, in the trace whose id ends in {@code traceIdLow}, is kept. */
    public boolean sampleRoot(long traceIdLow) {
        return alwaysOn || Math.abs(traceIdLow) < idUpperBound;
    }

    /** Whether a span whose parent is (or is not) sampled, in the trace ending in {@code traceIdLow}, is kept. */
    public boolean sampleChild(boolean parentSampled, long traceIdLow) {
        return parentBased ? parentSampled : sampleRoot(traceIdLow);
    }

    @Override
    public String toString() {
        return name + (alwaysOn || idUpperBound == Long.MIN_VALUE ? "" : "(" + idUpperBound + ")");
    }
}
