package dev.plumb.agent.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Writes {@code trace_id}, {@code span_id} and {@code trace_flags} into the SLF4J MDC and the
 * Log4j 2 ThreadContext of the application, when it has them.
 *
 * <p>The agent has no dependency on either: the classes are looked up by name in the monitored
 * class's loader once, when the class is instrumented, and called through method handles.
 */
public final class LogContext {

    /** MDC keys, as the OpenTelemetry logging instrumentations name them. */
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String TRACE_FLAGS = "trace_flags";

    private static final LogContext NONE = new LogContext(null, null);
    private static final Map<ClassLoader, LogContext> BY_LOADER = new WeakHashMap<>();

    private final ContextMap slf4j;
    private final ContextMap log4j;

    private LogContext(ContextMap slf4j, ContextMap log4j) {
        this.slf4j = slf4j;
        this.log4j = log4j;
    }

    /** The log contexts visible from the given class loader (null means the bootstrap loader). */
    public static LogContext of(ClassLoader loader) {
        if (loader == null) {
            return NONE;
        }
        synchronized (BY_LOADER) {
            return BY_LOADER.computeIfAbsent(loader,
                    l -> new LogContext(ContextMap.find(l, "org.slf4j.MDC"),
                            ContextMap.find(l, "org.apache.logging.log4j.ThreadContext")));
        }
    }

    /** True when neither logging library is present, so calls can skip this entirely. */
    boolean isEmpty() {
        return slf4j == null && log4j == null;
    }

    /** Puts the ids and returns what was there before, for {@link #restore}. */
    String[] put(String traceId, String spanId, String traceFlags) {
        String[] previous = new String[3];
        if (slf4j != null) {
            slf4j.save(previous);
            slf4j.put(traceId, spanId, traceFlags);
        }
        if (log4j != null) {
            if (slf4j == null) {
                log4j.save(previous);
            }
            log4j.put(traceId, spanId, traceFlags);
        }
        return previous;
    }

    /** Puts back the values {@link #put} returned. */
    void restore(String[] previous) {
        if (slf4j != null) {
            slf4j.restore(previous);
        }
        if (log4j != null) {
            log4j.restore(previous);
        }
    }

    /** One static key-value store, SLF4J's MDC or Log4j's ThreadContext, reached by method handles. */
    private static final class ContextMap {
        private final MethodHandle put;
        private final MethodHandle get;
        private final MethodHandle remove;

        private ContextMap(MethodHandle put, MethodHandle get, MethodHandle remove) {
            this.put = put;
            this.get = get;
            this.remove = remove;
        }

        static ContextMap find(ClassLoader loader, String className) {
            try {
                Class<?> type = Class.forName(className, false, loader);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new ContextMap(
                        lookup.findStatic(type, "put", MethodType.methodType(void.class, String.class, String.class)),
                        lookup.findStatic(type, "get", MethodType.methodType(String.class, String.class)),
                        lookup.findStatic(type, "remove", MethodType.methodType(void.class, String.class)));
            } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | LinkageError e) {
                return null;
            }
        }

        void save(String[] previous) {
            try {
                previous[0] = (String) get.invokeExact(TRACE_ID);
                previous[1] = (String) get.invokeExact(SPAN_ID);
                previous[2] = (String) get.invokeExact(TRACE_FLAGS);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read the MDC", e);
            }
        }

        void put(String traceId, String spanId, String traceFlags) {
            try {
                put.invokeExact(TRACE_ID, traceId);
                put.invokeExact(SPAN_ID, spanId);
                put.invokeExact(TRACE_FLAGS, traceFlags);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot write the MDC", e);
            }
        }

        void restore(String[] previous) {
            try {
                set(TRACE_ID, previous[0]);
                set(SPAN_ID, previous[1]);
                set(TRACE_FLAGS, previous[2]);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot restore the MDC", e);
            }
        }

        private void set(String key, String value) throws Throwable {
            if (value == null) {
                remove.invokeExact(key);
            } else {
                put.invokeExact(key, value);
            }
        }
    }
}
