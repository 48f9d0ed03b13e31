package dev.plumb.agent.instrument;

import dev.plumb.agent.runtime.Call;
import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;

/** Entry advice of a method with a span and no recorded arguments. */
final class SpanEnter {

    private SpanEnter() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Call enter(@MethodId int id, @Advice.Local("start") long start) {
        start = System.nanoTime();
        return MonitoredMethods.get(id).enter(start, null);
    }
}
