package dev.plumb.agent.instrument;

import dev.plumb.agent.config.AgentConfig;
import dev.plumb.agent.export.TelemetryPipeline;
import java.lang.instrument.Instrumentation;
import java.util.function.Supplier;

/**
 * Installs the instrumentation of {@code @Monitor} methods. At JVM start that is only
 * {@link MonitorGate}, which brings in ByteBuddy ({@link MonitorTransformer}) when the first
 * class that may need it is loaded; attached to a running JVM, ByteBuddy is installed at once
 * and retransforms the classes already loaded.
 */
public final class MonitorInstaller {

    private MonitorInstaller() {
    }

    /**
     * Installs the instrumentation. The pipeline is asked for only when the first monitored class
     * is transformed, so it may still be in construction while this runs.
     *
     * @throws IllegalArgumentException when an include/exclude pattern is malformed
     */
    public static void install(Instrumentation instrumentation, AgentConfig config,
            Supplier<TelemetryPipeline> pipeline, boolean attached) {
        MethodPatterns include = MethodPatterns.parse("PLUMB_MONITOR_INCLUDE", config.include());
        MethodPatterns exclude = MethodPatterns.parse("PLUMB_MONITOR_EXCLUDE", config.exclude());
        if (attached) {
            MonitorTransformer.agentBuilder(config, include, exclude, pipeline, true).installOn(instrumentation);
            return;
        }
        instrumentation.addTransformer(new MonitorGate(
                () -> MonitorTransformer.agentBuilder(config, include, exclude, pipeline, false).makeRaw(), include));
    }
}
