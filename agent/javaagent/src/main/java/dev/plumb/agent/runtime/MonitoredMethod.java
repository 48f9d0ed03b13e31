package dev.plumb.agent.runtime;

import com.sun.net.httpserver.HttpExchange;
import dev.plumb.agent.export.TelemetryPipeline;
import dev.plumb.agent.metrics.MethodSeries;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * One instrumented method with everything resolved when its class was transformed: names,
 * options, its histogram series and the application's log contexts. The advice inlined into the
 * method calls {@code enter} and {@code exit} here; nothing is looked up per call.
 */
public final class MonitoredMethod {

    static final AttributeKey<String> CODE_FUNCTION_NAME = AttributeKey.stringKey("code.function.name");
    static final AttributeKey<String> CODE_RETURN = AttributeKey.stringKey("code.return");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private final MethodPlan plan;
    private final Tracer tracer;
    private final Logger logger;
    private final MethodSeries series;
    private final LogContext logs;
    private final List<AttributeKey<String>> argKeys;
    private final AsyncCompletion async;
    private final AppTraceContext appContext;
    private final boolean rootsNeverSampled;

    /** Resolves a plan against the running pipeline and the log contexts of the method's loader. */
    public MonitoredMethod(MethodPlan plan, TelemetryPipeline pipeline, ClassLoader loader) {
        this.plan = plan;
        this.tracer = pipeline.tracer();
        this.logger = pipeline.logger();
        this.series = pipeline.histogram().forMethod(plan.functionName());
        this.logs = LogContext.of(loader);
        this.argKeys = plan.argAttributes().stream()
                .map(name -> name == null ? null : AttributeKey.stringKey(name))
                .toList();
        this.async = AsyncCompletion.of(plan.returnKind(), loader);
        this.appContext = AppTraceContext.of(loader);
        this.rootsNeverSampled = pipeline.rootsNeverSampled();
    }

    /** The plan this method was instrumented with. */
    public MethodPlan plan() {
        return plan;
    }

    /** Entry of a call that makes a span; the arguments are read only when some are attributes. */
    public Call enter(Object[] arguments) {
        long start = System.nanoTime();
        try {
            Context parent = parent();
            if (rootsNeverSampled && !Span.fromContext(parent).getSpanContext().isValid()) {
                // The sampler would drop this root span: skip building it, the call still counts.
                return Call.withoutSpan(start);
            }
            SpanBuilder builder = tracer.spanBuilder(plan.spanName())
                    .setParent(parent)
                    .setSpanKind(plan.kind())
                    .setAttribute(CODE_FUNCTION_NAME, plan.functionName());
            if (arguments != null) {
                for (int i = 0; i < arguments.length && i < argKeys.size(); i++) {
                    AttributeKey<String> key = argKeys.get(i);
                    if (key != null) {
                        builder.setAttribute(key, String.valueOf(arguments[i]));
                    }
                }
            }
            return open(start, parent, builder.startSpan());
        } catch (Throwable e) {
            AgentErrors.report("entering " + plan.functionName(), e);
            return Call.withoutSpan(start);
        }
    }

    /**
     * The agent's current context; when it holds no span (an outermost monitored call), the
     * span the application's own OpenTelemetry made current, if any, becomes the parent.
     */
    private Context parent() {
        Context current = Context.current();
        if (appContext == null || Span.fromContext(current).getSpanContext().isValid()) {
            return current;
        }
        SpanContext app = appContext.current();
        return app == null ? current : current.with(Span.wrap(app));
    }

    /** Entry of {@code HttpHandler.handle}: a SERVER span continuing the request's {@code traceparent}. */
    public Call enterHttp(HttpExchange exchange) {
        long start = System.nanoTime();
        try {
            Context parent = W3CTraceContextPropagator.getInstance()
                    .extract(Context.current(), exchange, ExchangeHeaders.INSTANCE);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Span span = tracer.spanBuilder(method + " " + path)
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute(CODE_FUNCTION_NAME, plan.functionName())
                    .setAttribute(HTTP_METHOD, method)
                    .setAttribute(URL_PATH, path)
                    .startSpan();
            return open(start, parent, span);
        } catch (Throwable e) {
            AgentErrors.report("entering " + plan.functionName(), e);
            return Call.withoutSpan(start);
        }
    }

    private Call open(long start, Context parent, Span span) {
        Context context = parent.with(span);
        var scope = context.makeCurrent();
        String[] previous = null;
        if (!logs.isEmpty()) {
            SpanContext ids = span.getSpanContext();
            previous = logs.put(ids.getTraceId(), ids.getSpanId(), ids.getTraceFlags().asHex());
        }
        return new Call(start, span, context, scope, logs, previous);
    }

    /** Exit of a call without a span: one histogram observation, and the error log on a throw. */
    public void exitMetrics(long start, Throwable thrown) {
        try {
            finish(null, start, null, thrown);
        } catch (Throwable e) {
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
    }

    /**
     * Exit of a call without a span whose result matters (a future, or a recorded return value).
     * Returns what the method must return: the result itself, or a Reactor publisher with hooks.
     */
    public Object exitMetricsReturning(long start, Object returned, Throwable thrown) {
        try {
            if (thrown == null && returned != null && async != null) {
                return async.onComplete(returned, this, null, start);
            }
            finish(null, start, returned, thrown);
        } catch (Throwable e) {
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
        return returned;
    }

    /** Exit of a call with a span. */
    public void exit(Call call, Throwable thrown) {
        try {
            finish(call, call.startNanos, null, thrown);
        } catch (Throwable e) {
            call.detach();
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
    }

    /**
     * Exit of a call with a span whose result matters; a returned future keeps the span open
     * until it completes. Returns what the method must return.
     */
    public Object exitReturning(Call call, Object returned, Throwable thrown) {
        try {
            if (thrown == null && returned != null && async != null) {
                call.detach();
                return async.onComplete(returned, this, call, call.startNanos);
            }
            finish(call, call.startNanos, returned, thrown);
        } catch (Throwable e) {
            call.detach();
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
        return returned;
    }

    /** Exit of {@code HttpHandler.handle}: the response status decides the outcome. */
    public void exitHttp(Call call, HttpExchange exchange, Throwable thrown) {
        try {
            int status = exchange.getResponseCode();
            if (call.span != null && status > 0) {
                call.span.setAttribute(HTTP_STATUS, (long) status);
            }
            if (thrown == null && status >= 500) {
                long nanos = System.nanoTime() - call.startNanos;
                series.error(nanos, Integer.toString(status));
                if (call.span != null) {
                    call.span.setStatus(StatusCode.ERROR, "HTTP " + status);
                    call.span.setAttribute(ERROR_TYPE, Integer.toString(status));
                    call.span.end();
                }
                call.detach();
                return;
            }
            finish(call, call.startNanos, null, thrown);
        } catch (Throwable e) {
            call.detach();
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
    }

    /** Completion of an asynchronous call, on whatever thread completed it; never throws. */
    void complete(Call call, long start, Object value, Throwable error) {
        try {
            finish(call, start, value, error);
        } catch (Throwable e) {
            AgentErrors.report("completing " + plan.functionName(), e);
        }
    }

    /**
     * Records the outcome of a finished call: histogram first (while the span is still current,
     * so the exemplar links to it), then the span and the error log.
     */
    void finish(Call call, long start, Object value, Throwable error) {
        long nanos = System.nanoTime() - start;
        Throwable cause = unwrap(error);
        boolean failed = cause != null && !isExpected(cause);
        boolean cancelled = failed && async != null && cause instanceof CancellationException;
        if (!failed) {
            series.ok(nanos);
        } else if (cancelled) {
            series.cancelled(nanos);
        } else {
            series.error(nanos, cause.getClass().getName());
        }
        Span span = call == null ? null : call.span;
        if (span != null) {
            if (cancelled) {
                span.setAttribute(OUTCOME, "cancelled");
            } else if (failed) {
                span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
                span.setAttribute(ERROR_TYPE, cause.getClass().getName());
                span.recordException(cause);
            }
            if (plan.recordReturn() && value != null && cause == null) {
                span.setAttribute(CODE_RETURN, String.valueOf(value));
            }
            if (nanos < plan.minDurationNanos()) {
                span.setAttribute(TelemetryPipeline.DROP_SPAN, true);
            }
        }
        if (failed && !cancelled && plan.log()) {
            logFailure(call == null || call.context == null ? Context.current() : call.context, cause);
        }
        if (span != null) {
            span.end();
        }
        if (call != null) {
            call.detach();
        }
    }

    private void logFailure(Context context, Throwable cause) {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        logger.logRecordBuilder()
                .setContext(context)
                .setSeverity(Severity.ERROR)
                .setSeverityText("ERROR")
                .setBody(plan.shortName() + " failed: " + message)
                .setAttribute(CODE_FUNCTION_NAME, plan.functionName())
                .setAttribute(EXCEPTION_TYPE, cause.getClass().getName())
                .setAttribute(EXCEPTION_MESSAGE, message)
                .setAttribute(EXCEPTION_STACKTRACE, trace.toString())
                .emit();
    }

    private boolean isExpected(Throwable error) {
        if (plan.ignoredExceptions().isEmpty()) {
            return false;
        }
        for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
            if (plan.ignoredExceptions().contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable error) {
        if (error instanceof CompletionException && error.getCause() != null) {
            return error.getCause();
        }
        return error;
    }
}
