package dev.plumb;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method, or every public method of a class, for monitoring by the Plumb agent.
 *
 * <p>Under {@code -javaagent:plumb-agent.jar} each call produces a span named
 * {@code SimpleClassName.method}, one observation of the {@code monitor.duration} histogram,
 * and on a throw an ERROR log record carrying the span's trace and span ids. Without the agent
 * the annotation does nothing and costs nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Monitor {

    /** Span name; empty means {@code SimpleClassName.method}. */
    String name() default "";

    /** The span kind, as OpenTelemetry defines it. */
    Kind kind() default Kind.INTERNAL;

    /**
     * Exceptions that are part of the method's contract: a throw of one of these (or a subclass)
     * is recorded with outcome {@code ok} and does not mark the span as an error.
     */
    Class<? extends Throwable>[] ignoreExceptions() default {};

    /** Record the return value's {@code toString()} as the span attribute {@code code.return}. */
    boolean recordReturn() default false;

    /** Make a span for each call; {@code false} keeps only the histogram (and the error log). */
    boolean span() default true;

    /** Emit the error log record when the method throws. */
    boolean log() default true;

    /** Calls that finish faster than this many microseconds keep no span (they still count). */
    long minDurationMicros() default 0;

    /** Also monitor methods that override or implement this one in subclasses. */
    boolean inherited() default false;

    /** Span kinds, mirroring OpenTelemetry's {@code SpanKind} without depending on it. */
    enum Kind { INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER }

    /** Records the annotated parameter as a span attribute with the given name. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Attr {
        /** The attribute name, for example {@code order.id}. */
        String value();
    }
}
