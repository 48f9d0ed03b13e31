package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.Call;
import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Exit advice of a method with a span that returns a future, a publisher or a recorded value. */
final class SpanReturningExit {

    private SpanReturningExit() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@MethodId int id, @Advice.Enter Call call, @Advice.Local("start") long start,
            @Advice.Thrown Throwable thrown,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
        returned = MonitoredMethods.get(id).exitReturning(call, start, returned, thrown);
    }
}
