package dev.plumb.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps spans that a method's {@code minDurationMicros} rejected out of the export. The call
 * path marks such a span with {@link #DROP} just before ending it; the mark is never exported.
 */
final class DroppingSpanProcessor implements SpanProcessor {

    /** Set to true on a span that must not be exported. */
    static final AttributeKey<Boolean> DROP = AttributeKey.booleanKey("plumb.drop");

    private final SpanProcessor delegate;

    DroppingSpanProcessor(SpanProcessor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        delegate.onStart(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
        return delegate.isStartRequired();
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (span.getAttribute(DROP) == null) {
            delegate.onEnd(span);
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public CompletableResultCode forceFlush() {
        return delegate.forceFlush();
    }
}
