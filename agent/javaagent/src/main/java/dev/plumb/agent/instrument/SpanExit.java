package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.Call;
import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;

/** Exit advice of a method with a span whose return value does not matter. */
final class SpanExit {

    private SpanExit() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@MethodId int id, @Advice.Enter Call call, @Advice.Local("start") long start,
            @Advice.Thrown Throwable thrown) {
        MonitoredMethods.get(id).exit(call, start, thrown);
    }
}
