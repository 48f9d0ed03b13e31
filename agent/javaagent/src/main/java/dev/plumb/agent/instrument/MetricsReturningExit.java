package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Exit advice of a method without a span that returns a future or a publisher. */
final class MetricsReturningExit {

    private MetricsReturningExit() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@MethodId int id, @Advice.Enter long start, @Advice.Thrown Throwable thrown,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = MonitoredMethods.get(id).exitMetricsReturning(start, returned, thrown);
    }
}
