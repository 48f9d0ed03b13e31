package dev.plumb.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.agent.config.AgentConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerSettingsTest {

    private static AgentConfig config(String sampler, String arg) {
        return AgentConfig.from(arg == null ? Map.of("OTEL_TRACES_SAMPLER", sampler)
                : Map.of("OTEL_TRACES_SAMPLER", sampler, "OTEL_TRACES_SAMPLER_ARG", arg), key -> null);
    }

    @Test
    void samplersThatDropEveryRootSkipRootSpans() {
        assertThat(TelemetryPipeline.rootsNeverSampled(config("always_off", null))).isTrue();
        assertThat(TelemetryPipeline.rootsNeverSampled(config("parentbased_always_off", null))).isTrue();
        assertThat(TelemetryPipeline.rootsNeverSampled(config("traceidratio", "0"))).isTrue();
        assertThat(TelemetryPipeline.rootsNeverSampled(config("parentbased_traceidratio", "0.0"))).isTrue();
    }

    @Test
    void samplersThatKeepSomeRootsBuildEverySpan() {
        assertThat(TelemetryPipeline.rootsNeverSampled(config("always_on", null))).isFalse();
        assertThat(TelemetryPipeline.rootsNeverSampled(config("parentbased_always_on", null))).isFalse();
        assertThat(TelemetryPipeline.rootsNeverSampled(config("traceidratio", "0.01"))).isFalse();
        assertThat(TelemetryPipeline.rootsNeverSampled(config("traceidratio", null))).isFalse();
    }

    @Test
    void rejectsARatioOutsideZeroToOneNamingTheSetting() {
        assertThatThrownBy(() -> TelemetryPipeline.rootsNeverSampled(config("traceidratio", "1.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG=1.5")
                .hasMessageContaining("between 0 and 1");
    }
}
