package dev.plumb.agent.trace;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/**
 * An ended span in the form the OpenTelemetry SDK's exporters read: immutable, built on the
 * export thread from an {@link EndedSpan}.
 *
 * @param getName               the span name
 * @param getKind               the span kind
 * @param getSpanContext        its trace id, span id and flags
 * @param getParentSpanContext  the parent's, or {@link SpanContext#getInvalid()} for a root
 * @param getStatus             unset, or error with a description
 * @param getStartEpochNanos    start, epoch nanoseconds
 * @param getEndEpochNanos      end, epoch nanoseconds
 * @param getAttributes         the method's constant attributes and this call's own
 * @param getEvents             the exception event, if any
 * @param getResource           the agent's resource
 * @param getInstrumentationScopeInfo the agent's scope
 */
public record ExportedSpan(
        String getName,
        SpanKind getKind,
        SpanContext getSpanContext,
        SpanContext getParentSpanContext,
        StatusData getStatus,
        long getStartEpochNanos,
        long getEndEpochNanos,
        Attributes getAttributes,
        List<EventData> getEvents,
        Resource getResource,
        InstrumentationScopeInfo getInstrumentationScopeInfo) implements SpanData {

    public ExportedSpan {
        getEvents = List.copyOf(getEvents);
    }

    @Override
    public List<LinkData> getLinks() {
        return List.of();
    }

    @Override
    public boolean hasEnded() {
        return true;
    }

    @Override
    public int getTotalRecordedEvents() {
        return getEvents.size();
    }

    @Override
    public int getTotalRecordedLinks() {
        return 0;
    }

    @Override
    public int getTotalAttributeCount() {
        return getAttributes.size();
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return InstrumentationLibraryInfo.create(getInstrumentationScopeInfo.getName(),
                getInstrumentationScopeInfo.getVersion(), getInstrumentationScopeInfo.getSchemaUrl());
    }
}
