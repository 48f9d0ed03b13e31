package dev.plumb.agent.trace;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A span that has ended and waits in the {@link SpanRing} for export. It turns itself into the
 * SDK's {@link SpanData} only on the export thread, so the application thread never pays for
 * hex strings, attribute maps or event objects.
 */
public interface EndedSpan {

    /**
     * The exportable form of this span.
     *
     * @param epochAnchorNanos add to a {@link System#nanoTime()} reading to get epoch nanoseconds
     * @param resource         the agent's resource
     * @param scope            the agent's instrumentation scope
     */
    SpanData toSpanData(long epochAnchorNanos, Resource resource, InstrumentationScopeInfo scope);
}
