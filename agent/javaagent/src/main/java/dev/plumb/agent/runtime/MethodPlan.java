package dev.plumb.agent.runtime;

import io.opentelemetry.api.trace.SpanKind;
import java.util.List;

/**
 * What the agent decided, at transform time, to do for one method.
 *
 * @param functionName      {@code pkg.Class.method}, the {@code code.function.name}
 * @param shortName         {@code SimpleClassName.method}, the default span name and log prefix
 * @param spanName          the span name (the annotation's {@code name} or {@code shortName})
 * @param kind              the span kind
 * @param span              whether calls make spans
 * @param log               whether a throw emits the error log record
 * @param recordReturn      whether the return value becomes the attribute {@code code.return}
 * @param minDurationNanos  spans of calls shorter than this are dropped
 * @param ignoredExceptions class names of expected exceptions (outcome ok)
 * @param argAttributes     per parameter, the attribute name to record it under, or null
 * @param returnKind        how the end of the call is found
 * @param httpHandler       whether this is {@code HttpHandler.handle(HttpExchange)}
 */
public record MethodPlan(
        String functionName,
        String shortName,
        String spanName,
        SpanKind kind,
        boolean span,
        boolean log,
        boolean recordReturn,
        long minDurationNanos,
        List<String> ignoredExceptions,
        List<String> argAttributes,
        ReturnKind returnKind,
        boolean httpHandler) {

    /** True when some parameter is recorded as an attribute. */
    public boolean recordsArguments() {
        return argAttributes.stream().anyMatch(name -> name != null);
    }
}
