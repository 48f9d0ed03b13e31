package dev.plumb.agent.runtime;

import io.opentelemetry.context.Context;

/**
 * The monitored call each thread is in, kept by the agent itself instead of in OpenTelemetry's
 * {@code Context}: entering a call is one thread-local read and two field writes, and the
 * enclosing call is the new span's parent.
 */
public final class ThreadSpans {

    private static final ThreadLocal<ThreadSpans> BY_THREAD = ThreadLocal.withInitial(ThreadSpans::new);

    /** The innermost running call on this thread, {@link Call#DROPPED}, or null. */
    Call current;

    /** What a dropped call with no enclosing call returns, made once per thread so that it allocates nothing. */
    final Call droppedRoot = Call.restoring(this, null);

    private ThreadSpans() {
    }

    static ThreadSpans get() {
        return BY_THREAD.get();
    }

    /** The innermost recording call on the calling thread, or null. */
    static Call currentRecording() {
        Call call = BY_THREAD.get().current;
        return call == null || !call.recording ? null : call;
    }

    /**
     * A context holding the calling thread's current span, for log records made outside the
     * call path (the application's own logs); the root context when no span is being recorded.
     */
    public static Context currentContext() {
        Call call = currentRecording();
        return call == null ? Context.root() : call.context();
    }
}
