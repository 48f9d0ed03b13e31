package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.Call;
import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;

/** Entry advice of a method with a span that records some parameters ({@code @Monitor.Attr}). */
final class SpanWithArgumentsEnter {

    private SpanWithArgumentsEnter() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Call enter(@MethodId int id, @Advice.AllArguments Object[] arguments, @Advice.Local("start") long start) {
        start = System.nanoTime();
        return MonitoredMethods.get(id).enter(start, arguments);
    }
}
