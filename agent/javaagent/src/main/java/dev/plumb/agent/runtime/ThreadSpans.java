package dev.plumb.agent.runtime;

import io.opentelemetry.context.Context;

/**
 * The monitored call each thread is in, kept by the agent itself instead of in OpenTelemetry's
 * {@code Context}: entering a call is one thread-local read and two field writes, and the
 * enclosing call is the new span's parent.
 */
public final class ThreadSpans {

    private static final ThreadLocal<ThreadSpans> BY_THREAD = ThreadLocal.withInitial(ThreadSpans::new);

    /** The innermost running call on this thread, recording or not, or null. */
    Call current;

    private ThreadSpans() {
    }

    static ThreadSpans get() {
        return BY_THREAD.get();
    }

    /** The innermost call on the calling thread when the sampler kept it (exemplars link only to those), or null. */
    static Call currentRecording() {
        Call call = BY_THREAD.get().current;
        return call == null || !call.recording ? null : call;
    }

    /**
     * A context holding the calling thread's current span, sampled or not, for log records made
     * outside the call path (the application's own logs) and for outgoing requests; the root
     * context outside monitored calls.
     */
    public static Context currentContext() {
        Call call = BY_THREAD.get().current;
        return call == null ? Context.root() : call.context();
    }
}
