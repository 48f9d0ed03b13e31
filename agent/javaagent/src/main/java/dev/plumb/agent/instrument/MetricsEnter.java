package dev.plumb.agent.instrument;

import net.bytebuddy.asm.Advice;

/** Entry advice of a method without a span: only the start time, no allocation. */
final class MetricsEnter {

    private MetricsEnter() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return System.nanoTime();
    }
}
