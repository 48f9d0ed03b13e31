package dev.plumb.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The agent's sampler decides exactly as the SDK's samplers on the same trace ids. */
class TraceSamplerTest {

    private static final String[] RATIOS = {"0", "0.0001", "0.01", "0.25", "0.5", "0.999", "1"};

    private static List<long[]> traceIds() {
        List<long[]> ids = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            ids.add(new long[] {random.nextLong(), random.nextLong()});
        }
        long[] edges = {1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 0};
        for (long low : edges) {
            ids.add(new long[] {7, low});
        }
        return ids;
    }

    private static boolean sdkSamples(Sampler sampler, Context parent, long high, long low) {
        return sampler.shouldSample(parent, SpanIds.hex(high, low), "call", SpanKind.INTERNAL, Attributes.empty(),
                List.of()).getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    }

    private static Context parent(long high, long low, boolean sampled) {
        SpanContext context = SpanContext.create(SpanIds.hex(high, low), SpanIds.hex(99),
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
        return Context.root().with(Span.wrap(context));
    }

    @Test
    void ratioSamplerKeepsTheSameRootsAsTheSdk() {
        for (String ratio : RATIOS) {
            TraceSampler ours = TraceSampler.of("traceidratio", ratio);
            Sampler sdk = Sampler.traceIdRatioBased(Double.parseDouble(ratio));
            int kept = 0;
            for (long[] id : traceIds()) {
                boolean expected = sdkSamples(sdk, Context.root(), id[0], id[1]);
                assertThat(ours.sampleRoot(id[1])).as("ratio %s, trace %s", ratio, SpanIds.hex(id[0], id[1]))
                        .isEqualTo(expected);
                kept += expected ? 1 : 0;
            }
            if (ratio.equals("0.25")) {
                assertThat(kept).isBetween(4_500, 5_500);
            }
        }
    }

    @Test
    void parentBasedSamplersFollowTheParentLikeTheSdk() {
        String[][] samplers = {
            {"parentbased_traceidratio", "0.3"}, {"parentbased_always_on", null}, {"parentbased_always_off", null},
            {"traceidratio", "0.3"}, {"always_on", null}, {"always_off", null},
        };
        for (String[] setting : samplers) {
            TraceSampler ours = TraceSampler.of(setting[0], setting[1]);
            Sampler sdk = sdkSampler(setting[0], setting[1]);
            for (long[] id : traceIds().subList(0, 2_000)) {
                for (boolean parentSampled : new boolean[] {true, false}) {
                    assertThat(ours.sampleChild(parentSampled, id[1]))
                            .as("%s with a %s parent", setting[0], parentSampled ? "sampled" : "dropped")
                            .isEqualTo(sdkSamples(sdk, parent(id[0], id[1], parentSampled), id[0], id[1]));
                }
                assertThat(ours.sampleRoot(id[1])).as(setting[0])
                        .isEqualTo(sdkSamples(sdk, Context.root(), id[0], id[1]));
            }
        }
    }

    @Test
    void samplersThatKeepNoRootSaySoUpFront() {
        assertThat(TraceSampler.of("always_off", null).neverSamplesRoots()).isTrue();
        assertThat(TraceSampler.of("parentbased_traceidratio", "0").neverSamplesRoots()).isTrue();
        assertThat(TraceSampler.of("traceidratio", "0.0001").neverSamplesRoots()).isFalse();
        assertThat(TraceSampler.of("always_on", null).neverSamplesRoots()).isFalse();
    }

    @Test
    void rejectsAnUnknownSamplerNamingTheChoices() {
        assertThatThrownBy(() -> TraceSampler.of("sometimes", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_TRACES_SAMPLER=sometimes")
                .hasMessageContaining("parentbased_traceidratio");
        assertThatThrownBy(() -> TraceSampler.of("traceidratio", "half"))
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG=half");
    }

    private static Sampler sdkSampler(String name, String arg) {
        double ratio = arg == null ? 1.0 : Double.parseDouble(arg);
        return switch (name) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_on" -> Sampler.parentBased(Sampler.alwaysOn());
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> throw new IllegalArgumentException(name);
        };
    }
}
