package dev.plumb.agent.runtime;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * One running call of a monitored method that has a span: the span, the context it made
 * current, and the MDC values it replaced. Created on entry, finished on exit or, for a method
 * that returns a future, when that future completes.
 */
public final class Call {

    final long startNanos;
    final Span span;
    final Context context;
    private final LogContext logs;
    private Scope scope;
    private String[] previousLogContext;

    Call(long startNanos, Span span, Context context, Scope scope, LogContext logs, String[] previousLogContext) {
        this.startNanos = startNanos;
        this.span = span;
        this.context = context;
        this.scope = scope;
        this.logs = logs;
        this.previousLogContext = previousLogContext;
    }

    /** A call whose span could not be started; it still counts in the histogram. */
    static Call withoutSpan(long startNanos) {
        return new Call(startNanos, null, null, null, null, null);
    }

    /** Leaves the calling thread as it was before the call: previous context and MDC values. */
    void detach() {
        if (scope != null) {
            scope.close();
            scope = null;
        }
        if (previousLogContext != null) {
            logs.restore(previousLogContext);
            previousLogContext = null;
        }
    }
}
