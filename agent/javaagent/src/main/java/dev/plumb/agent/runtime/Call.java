package dev.plumb.agent.runtime;

import dev.plumb.agent.trace.EndedSpan;
import dev.plumb.agent.trace.ExportedSpan;
import dev.plumb.agent.trace.SpanIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * One running call of a monitored method: its span context (ids as longs, the method's constant
 * attributes shared, this call's own few kept apart) and the thread state it replaced (the
 * enclosing call, the MDC values). Created on entry, ended on exit or, for a method that returns a
 * future, when that future completes; a call the sampler kept is then queued for export, where
 * it becomes {@link SpanData}.
 *
 * <p>A call the sampler dropped is made like any other and becomes the thread's current call,
 * as the OpenTelemetry SDK makes a non-recording span current: it has ids of its own, its
 * children, the MDC, its error log and outgoing requests carry its trace with the sampled flag
 * off, and only the recording (attributes, export) is skipped. That keeps a trace dropped at its
 * root dropped downstream, instead of every next service starting traces of its own.
 */
public final class Call implements EndedSpan {

    private static final AttributeKey<String> EXEMPLAR = AttributeKey.stringKey(
            io.prometheus.metrics.tracer.common.SpanContext.EXEMPLAR_ATTRIBUTE_NAME);

    final long startNanos;
    final long traceIdHigh;
    final long traceIdLow;
    final long spanId;
    /** 0 for a root span. */
    final long parentSpanId;
    final TraceState traceState;
    /** W3C's random-trace-id flag: set on the traces the agent starts, inherited from a parent. */
    final boolean traceIdRandom;
    /** Whether the sampler kept the call: its span is recorded and exported, and its flags say sampled. */
    final boolean recording;
    private final MonitoredMethod method;
    private final ThreadSpans thread;
    private final Call previous;
    private final boolean parentRemote;
    private final boolean parentSampled;
    private String traceIdHex;
    private String name;

    /** This call's own attributes, key and value alternating; the method's constant ones are not copied here. */
    private Object[] attributes;
    private int attributeCount;
    private boolean exemplar;
    private String errorDescription;
    private Throwable exception;
    private long exceptionNanos;
    private long endNanos;
    /** 1 once an end has claimed this call (see {@link #claimEnd}). */
    private volatile int ending;
    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Call> ENDING =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(Call.class, "ending");

    private LogContext logs;
    private String[] previousLogContext;
    private boolean detached;

    Call(MonitoredMethod method, ThreadSpans thread, Call previous, long startNanos, long traceIdHigh,
            long traceIdLow, long spanId, long parentSpanId, boolean parentRemote, boolean parentSampled,
            TraceState traceState, boolean traceIdRandom, String traceIdHex, boolean recording) {
        this.method = method;
        this.thread = thread;
        this.previous = previous;
        this.startNanos = startNanos;
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.parentRemote = parentRemote;
        this.parentSampled = parentSampled;
        this.traceState = traceState;
        this.traceIdRandom = traceIdRandom;
        this.traceIdHex = traceIdHex;
        this.recording = recording;
        this.name = method.plan().spanName();
    }

    /** The trace id as 32 hex digits, made once per call and shared with its children. */
    String traceIdHex() {
        String hex = traceIdHex;
        if (hex == null) {
            hex = SpanIds.hex(traceIdHigh, traceIdLow);
            traceIdHex = hex;
        }
        return hex;
    }

    /** The span's context, for the error log record, the application's captured logs and outgoing requests. */
    SpanContext spanContext() {
        return SpanContext.create(traceIdHex(), SpanIds.hex(spanId), flags(recording), traceState);
    }

    private TraceFlags flags(boolean sampled) {
        return TraceFlags.fromByte((byte) ((sampled ? 0x01 : 0) | (traceIdRandom ? 0x02 : 0)));
    }

    /** A context holding this call's span, for the SDK's log records. */
    Context context() {
        return Context.root().with(Span.wrap(spanContext()));
    }

    void rename(String spanName) {
        this.name = spanName;
    }

    <T> void attribute(AttributeKey<T> key, T value) {
        if (attributes == null) {
            attributes = new Object[8];
        } else if (attributeCount == attributes.length) {
            attributes = java.util.Arrays.copyOf(attributes, attributeCount * 2);
        }
        attributes[attributeCount++] = key;
        attributes[attributeCount++] = value;
    }

    /** Marks the span as an error with the SDK's status description. */
    void error(String description) {
        this.errorDescription = description;
    }

    /** Marks the span as an error and keeps the exception for its {@code exception} event. */
    void recordException(Throwable cause, long nanos) {
        this.exception = cause;
        this.exceptionNanos = nanos;
    }

    void markExemplar() {
        this.exemplar = true;
    }

    /** Puts this call's ids into the MDC, remembering what was there. */
    void putLogContext(LogContext logs) {
        this.logs = logs;
        this.previousLogContext = logs.put(traceIdHex(), SpanIds.hex(spanId), flags(recording).asHex());
    }

    /**
     * True for the first caller only: a Reactor publisher subscribed again (retry, repeat, a second
     * subscriber) completes the same call again, and that must neither count nor record it twice,
     * nor change a span the export thread may already be reading.
     */
    boolean claimEnd() {
        return ENDING.compareAndSet(this, 0, 1);
    }

    /** Ends the span; from here on only the export thread reads it. */
    void end(long nanos) {
        this.endNanos = nanos;
    }

    /**
     * Leaves the calling thread as it was before the call: its enclosing call and MDC values.
     * Runs on the thread that entered the call; only the first time counts.
     */
    void detach() {
        if (detached) {
            return;
        }
        detached = true;
        thread.current = previous;
        if (previousLogContext != null) {
            logs.restore(previousLogContext);
            previousLogContext = null;
        }
    }

    @Override
    public SpanData toSpanData(long epochAnchorNanos, Resource resource, InstrumentationScopeInfo scope) {
        String traceId = traceIdHex();
        SpanContext context = SpanContext.create(traceId, SpanIds.hex(spanId), flags(true), traceState);
        SpanContext parent = SpanContext.getInvalid();
        if (parentSpanId != 0) {
            TraceFlags flags = flags(parentSampled);
            parent = parentRemote
                    ? SpanContext.createFromRemoteParent(traceId, SpanIds.hex(parentSpanId), flags, traceState)
                    : SpanContext.create(traceId, SpanIds.hex(parentSpanId), flags, traceState);
        }
        StatusData status = errorDescription == null
                ? StatusData.unset()
                : StatusData.create(StatusCode.ERROR, errorDescription);
        List<EventData> events = exception == null
                ? List.of()
                : List.of(EventData.create(epochAnchorNanos + exceptionNanos, "exception", exceptionAttributes(exception)));
        return new ExportedSpan(name, method.plan().kind(), context, parent, status,
                epochAnchorNanos + startNanos, epochAnchorNanos + endNanos, attributes(), events, resource, scope);
    }

    private Attributes attributes() {
        if (attributeCount == 0 && !exemplar) {
            return method.constantAttributes();
        }
        AttributesBuilder builder = method.constantAttributes().toBuilder();
        for (int i = 0; i < attributeCount; i += 2) {
            @SuppressWarnings("unchecked")
            AttributeKey<Object> key = (AttributeKey<Object>) attributes[i];
            builder.put(key, attributes[i + 1]);
        }
        if (exemplar) {
            builder.put(EXEMPLAR, io.prometheus.metrics.tracer.common.SpanContext.EXEMPLAR_ATTRIBUTE_VALUE);
        }
        return builder.build();
    }

    /** The attributes the SDK's {@code recordException} gives the {@code exception} event. */
    private static Attributes exceptionAttributes(Throwable exception) {
        StringWriter trace = new StringWriter();
        exception.printStackTrace(new PrintWriter(trace));
        String type = exception.getClass().getCanonicalName();
        AttributesBuilder builder = Attributes.builder()
                .put(MonitoredMethod.EXCEPTION_TYPE, type == null ? exception.getClass().getName() : type)
                .put(MonitoredMethod.EXCEPTION_STACKTRACE, trace.toString());
        if (exception.getMessage() != null) {
            builder.put(MonitoredMethod.EXCEPTION_MESSAGE, exception.getMessage());
        }
        return builder.build();
    }
}
