package dev.plumb.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.plumb.agent.config.AgentConfig;
import dev.plumb.agent.export.TelemetryPipeline;
import dev.plumb.agent.runtime.AgentErrors;
import dev.plumb.agent.runtime.MethodPlan;
import dev.plumb.agent.runtime.MonitoredMethod;
import dev.plumb.agent.runtime.MonitoredMethods;
import dev.plumb.agent.runtime.ReturnKind;
import java.util.List;
import java.util.function.Supplier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * ByteBuddy's side of the instrumentation: for each application class, the {@link MonitorPlanner}
 * picks the monitored methods and each gets advice bound to its own {@link MonitoredMethod}.
 * Loaded only when {@link MonitorGate} lets the first class through, or when attached.
 */
final class MonitorTransformer {

    private MonitorTransformer() {
    }

    /** The configured agent builder; {@code attached} retransforms the classes already loaded. */
    static AgentBuilder agentBuilder(AgentConfig config, MethodPatterns include, MethodPatterns exclude,
            Supplier<TelemetryPipeline> pipeline, boolean attached) {
        MonitorPlanner planner = new MonitorPlanner(include, exclude);
        ElementMatcher<TypeDescription> monitored = type -> {
            try {
                return !planner.plan(type).isEmpty();
            } catch (RuntimeException unresolvable) {
                // A class whose hierarchy cannot be read is left as it is.
                if (config.debug()) {
                    System.err.println("[plumb-agent] cannot plan " + type.getName() + ": " + unresolvable);
                }
                return false;
            }
        };
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                // Before main no application class is loaded yet, so retransforming the JDK's is wasted start-up.
                .with(attached ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Listener(config.debug()))
                .ignore(nameStartsWith("java.")
                        .or(nameStartsWith("javax."))
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun."))
                        .or(nameStartsWith("dev.plumb.agent."))
                        .or(nameStartsWith("dev.plumb.shaded."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("org.slf4j."))
                        .or(nameStartsWith("ch.qos.logback."))
                        .or(nameStartsWith("org.apache.logging."))
                        .or(isSynthetic()))
                .type(monitored)
                .transform((builder, type, loader, module, domain) -> instrument(builder, planner.plan(type),
                        loader, pipeline.get()));
    }

    private static DynamicType.Builder<?> instrument(DynamicType.Builder<?> builder,
            List<MonitorPlanner.Planned> methods, ClassLoader loader, TelemetryPipeline pipeline) {
        for (MonitorPlanner.Planned planned : methods) {
            int id = MonitoredMethods.register(new MonitoredMethod(planned.plan(), pipeline, loader));
            builder = builder.visit(Advice.withCustomMapping()
                    .bind(MethodId.class, id)
                    .to(enterAdvice(planned.plan()), exitAdvice(planned.plan()))
                    .on(is(planned.method())));
        }
        return builder;
    }

    private static Class<?> enterAdvice(MethodPlan plan) {
        if (plan.httpHandler()) {
            return HttpHandlerEnter.class;
        }
        if (!plan.span()) {
            return MetricsEnter.class;
        }
        return plan.recordsArguments() ? SpanWithArgumentsEnter.class : SpanEnter.class;
    }

    private static Class<?> exitAdvice(MethodPlan plan) {
        if (plan.httpHandler()) {
            return HttpHandlerExit.class;
        }
        // Only methods whose result matters read it, so other calls never box a return value.
        boolean returning = plan.returnKind() != ReturnKind.VALUE || plan.recordReturn() && plan.span();
        if (!plan.span()) {
            return returning ? MetricsReturningExit.class : MetricsExit.class;
        }
        return returning ? SpanReturningExit.class : SpanExit.class;
    }

    /** Reports transformation failures once, and every decision when PLUMB_DEBUG is on. */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final boolean debug;

        Listener(boolean debug) {
            this.debug = debug;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            if (debug) {
                System.err.println("[plumb-agent] instrumented " + type.getName());
            }
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentErrors.report("instrumenting " + typeName, error);
        }
    }
}
