package dev.plumb.agent.runtime;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The span current in the application's own OpenTelemetry API (its own SDK, or OpenTelemetry's
 * javaagent bridging it), so that a {@code @Monitor} call with no Plumb parent continues the
 * application's trace instead of starting a new one.
 *
 * <p>The application's API is not the agent's (the agent's is relocated), so it is found by name
 * in the monitored class's loader once and read through method handles; nothing is looked up per call.
 */
final class AppTraceContext {

    private static final Map<ClassLoader, Optional<AppTraceContext>> BY_LOADER = new WeakHashMap<>();

    /** {@code Span.current().getSpanContext()}, as {@code ()Object}. */
    private final MethodHandle currentSpanContext;
    private final MethodHandle isValid;
    private final MethodHandle traceId;
    private final MethodHandle spanId;
    /** {@code spanContext.getTraceFlags().asByte()}. */
    private final MethodHandle flags;

    private AppTraceContext(MethodHandle currentSpanContext, MethodHandle isValid, MethodHandle traceId,
            MethodHandle spanId, MethodHandle flags) {
        this.currentSpanContext = currentSpanContext;
        this.isValid = isValid;
        this.traceId = traceId;
        this.spanId = spanId;
        this.flags = flags;
    }

    /** The application's API as seen from {@code loader}, or null when it has none. */
    static AppTraceContext of(ClassLoader loader) {
        if (loader == null) {
            return null;
        }
        synchronized (BY_LOADER) {
            return BY_LOADER.computeIfAbsent(loader, l -> Optional.ofNullable(find(l))).orElse(null);
        }
    }

    private static AppTraceContext find(ClassLoader loader) {
        // Built at run time: the shade plugin would relocate a literal io.opentelemetry name to the agent's own copy.
        String api = String.join(".", "io", "opentelemetry", "api", "trace");
        try {
            Class<?> span = Class.forName(api + ".Span", false, loader);
            Class<?> spanContext = Class.forName(api + ".SpanContext", false, loader);
            Class<?> traceFlags = Class.forName(api + ".TraceFlags", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle current = lookup.findStatic(span, "current", MethodType.methodType(span));
            MethodHandle getSpanContext = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext));
            MethodHandle getTraceFlags = lookup.findVirtual(spanContext, "getTraceFlags",
                    MethodType.methodType(traceFlags));
            MethodHandle asByte = lookup.findVirtual(traceFlags, "asByte", MethodType.methodType(byte.class));
            return new AppTraceContext(
                    MethodHandles.filterReturnValue(current, getSpanContext).asType(MethodType.methodType(Object.class)),
                    lookup.findVirtual(spanContext, "isValid", MethodType.methodType(boolean.class))
                            .asType(MethodType.methodType(boolean.class, Object.class)),
                    lookup.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class))
                            .asType(MethodType.methodType(String.class, Object.class)),
                    lookup.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class))
                            .asType(MethodType.methodType(String.class, Object.class)),
                    MethodHandles.filterReturnValue(getTraceFlags, asByte)
                            .asType(MethodType.methodType(byte.class, Object.class)));
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | LinkageError absent) {
            return null;
        }
    }

    /** The application's current span context in the agent's types, or null when it has none. */
    SpanContext current() {
        try {
            Object context = (Object) currentSpanContext.invokeExact();
            if (context == null || !(boolean) isValid.invokeExact(context)) {
                return null;
            }
            return SpanContext.create((String) traceId.invokeExact(context), (String) spanId.invokeExact(context),
                    TraceFlags.fromByte((byte) flags.invokeExact(context)), TraceState.getDefault());
        } catch (Throwable e) {
            AgentErrors.report("reading the application's OpenTelemetry context", e);
            return null;
        }
    }
}
