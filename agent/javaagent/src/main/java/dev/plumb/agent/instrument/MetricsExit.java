package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;

/** Exit advice of a method without a span: one histogram observation. */
final class MetricsExit {

    private MetricsExit() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@MethodId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown) {
        MonitoredMethods.get(id).exitMetrics(start, thrown);
    }
}
