package dev.plumb.agent.runtime;

import com.sun.net.httpserver.HttpExchange;
import dev.plumb.agent.export.TelemetryPipeline;
import dev.plumb.agent.metrics.MethodSeries;
import dev.plumb.agent.trace.SpanIds;
import dev.plumb.agent.trace.SpanShipper;
import dev.plumb.agent.trace.TraceSampler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
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
    private final Logger logger;
    private final MethodSeries series;
    private final LogContext logs;
    private final List<AttributeKey<String>> argKeys;
    private final AsyncCompletion async;
    private final AppTraceContext appContext;
    private final TraceSampler sampler;
    private final SpanShipper spans;
    private final Attributes constantAttributes;

    /** Resolves a plan against the running pipeline and the log contexts of the method's loader. */
    public MonitoredMethod(MethodPlan plan, TelemetryPipeline pipeline, ClassLoader loader) {
        this.plan = plan;
        this.logger = pipeline.logger();
        this.series = pipeline.histogram().forMethod(plan.functionName());
        this.logs = LogContext.of(loader);
        this.argKeys = plan.argAttributes().stream()
                .map(name -> name == null ? null : AttributeKey.stringKey(name))
                .toList();
        this.async = AsyncCompletion.of(plan.returnKind(), loader);
        this.appContext = AppTraceContext.of(loader);
        this.sampler = pipeline.sampler();
        this.spans = pipeline.spans();
        this.constantAttributes = Attributes.of(CODE_FUNCTION_NAME, plan.functionName());
    }

    /** The plan this method was instrumented with. */
    public MethodPlan plan() {
        return plan;
    }

    /** The attributes every span of this method carries, built once and shared by all of them. */
    Attributes constantAttributes() {
        return constantAttributes;
    }

    /**
     * Entry of a call that may make a span; the arguments are read only when some are attributes
     * of a recorded span. Returns the call, recording or not, or null when the agent failed (the
     * call still counts in the histogram).
     */
    public Call enter(long start, Object[] arguments) {
        Call call = null;
        try {
            ThreadSpans thread = ThreadSpans.get();
            Call previous = thread.current;
            SpanContext external = previous == null && appContext != null ? appContext.current() : null;
            call = open(thread, previous, external, start);
            if (call.recording && arguments != null) {
                for (int i = 0; i < arguments.length && i < argKeys.size(); i++) {
                    AttributeKey<String> key = argKeys.get(i);
                    if (key != null) {
                        call.attribute(key, String.valueOf(arguments[i]));
                    }
                }
            }
            return call;
        } catch (Throwable e) {
            // e.g. an argument's toString() threw after the call became current: the exit gets
            // null and restores nothing, so leave the thread (current call, MDC) as it was here.
            detach(call);
            AgentErrors.report("entering " + plan.functionName(), e);
            return null;
        }
    }

    /** Entry of {@code HttpHandler.handle}: a SERVER span continuing the request's {@code traceparent}. */
    public Call enterHttp(long start, HttpExchange exchange) {
        Call call = null;
        try {
            ThreadSpans thread = ThreadSpans.get();
            Call previous = thread.current;
            SpanContext remote = Span.fromContext(W3CTraceContextPropagator.getInstance()
                    .extract(Context.root(), exchange, ExchangeHeaders.INSTANCE)).getSpanContext();
            SpanContext external = remote.isValid() ? remote
                    : previous == null && appContext != null ? appContext.current() : null;
            call = open(thread, previous, external, start);
            if (call.recording) {
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getPath();
                call.rename(method + " " + path);
                call.attribute(HTTP_METHOD, method);
                call.attribute(URL_PATH, path);
            }
            return call;
        } catch (Throwable e) {
            detach(call);
            AgentErrors.report("entering " + plan.functionName(), e);
            return null;
        }
    }

    /**
     * Starts a call under its parent: {@code external} (a remote or application span) when given,
     * else the thread's enclosing call, else none, and makes it the thread's current call. The
     * sampler decides on the trace id as longs whether the call records; sampled or not, the
     * call carries its trace to the MDC, its children and outgoing requests.
     */
    private Call open(ThreadSpans thread, Call previous, SpanContext external, long start) {
        long high;
        long low;
        long parentSpanId;
        boolean parentSampled;
        boolean parentRemote;
        TraceState state;
        boolean random;
        String traceIdHex;
        boolean sampled;
        if (external != null) {
            traceIdHex = external.getTraceId();
            high = SpanIds.parse(traceIdHex, 0);
            low = SpanIds.parse(traceIdHex, 16);
            parentSpanId = SpanIds.parse(external.getSpanId(), 0);
            parentSampled = external.isSampled();
            parentRemote = external.isRemote();
            state = external.getTraceState();
            random = external.getTraceFlags().isTraceIdRandom();
            sampled = sampler.sampleChild(parentSampled, low);
        } else if (previous != null) {
            high = previous.traceIdHigh;
            low = previous.traceIdLow;
            parentSpanId = previous.spanId;
            parentSampled = previous.recording;
            parentRemote = false;
            state = previous.traceState;
            random = previous.traceIdRandom;
            traceIdHex = null;
            sampled = sampler.sampleChild(parentSampled, low);
        } else {
            high = SpanIds.random();
            low = SpanIds.random();
            sampled = sampler.sampleRoot(low);
            parentSpanId = 0;
            parentSampled = false;
            parentRemote = false;
            state = TraceState.getDefault();
            random = true;
            traceIdHex = null;
        }
        Call call = new Call(this, thread, previous, start, high, low, SpanIds.random(), parentSpanId,
                parentRemote, parentSampled, state, random, traceIdHex, sampled);
        thread.current = call;
        if (!logs.isEmpty()) {
            call.putLogContext(logs);
        }
        return call;
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

    /** Exit of a call that may have a span; {@code call} is what {@link #enter} returned. */
    public void exit(Call call, long start, Throwable thrown) {
        try {
            finish(call, start, null, thrown);
        } catch (Throwable e) {
            detach(call);
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
    }

    /**
     * Exit of a call that may have a span and whose result matters; a returned future keeps the
     * span open until it completes. Returns what the method must return.
     */
    public Object exitReturning(Call call, long start, Object returned, Throwable thrown) {
        try {
            if (thrown == null && returned != null && async != null) {
                detach(call);
                return async.onComplete(returned, this, call, start);
            }
            finish(call, start, returned, thrown);
        } catch (Throwable e) {
            detach(call);
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
        return returned;
    }

    /** Exit of {@code HttpHandler.handle}: the response status decides the outcome. */
    public void exitHttp(Call call, long start, HttpExchange exchange, Throwable thrown) {
        try {
            int status = exchange.getResponseCode();
            boolean recording = call != null && call.recording;
            if (recording && status > 0) {
                call.attribute(HTTP_STATUS, (long) status);
            }
            if (thrown == null && status >= 500) {
                long end = System.nanoTime();
                series.error(end - start, Integer.toString(status));
                if (recording) {
                    call.error("HTTP " + status);
                    call.attribute(ERROR_TYPE, Integer.toString(status));
                    ship(call, end);
                }
                detach(call);
                return;
            }
            finish(call, start, null, thrown);
        } catch (Throwable e) {
            detach(call);
            AgentErrors.report("exiting " + plan.functionName(), e);
        }
    }

    /** Completion of an asynchronous call, on whatever thread completed it; never throws. */
    void complete(Call call, long start, Object value, Throwable error) {
        try {
            if (call != null && !call.claimEnd()) {
                return; // completed before: the first completion counts
            }
            // The entering thread was restored on return; finish's detach finds nothing left to do.
            finish(call, start, value, error);
        } catch (Throwable e) {
            AgentErrors.report("completing " + plan.functionName(), e);
        }
    }

    /**
     * Records the outcome of a finished call: histogram first (while the span is still the
     * thread's current one, so the exemplar links to it), then the span and the error log.
     */
    void finish(Call call, long start, Object value, Throwable error) {
        long end = System.nanoTime();
        long nanos = end - start;
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
        boolean recording = call != null && call.recording;
        if (recording) {
            if (cancelled) {
                call.attribute(OUTCOME, "cancelled");
            } else if (failed) {
                call.error(String.valueOf(cause.getMessage()));
                call.attribute(ERROR_TYPE, cause.getClass().getName());
                call.recordException(cause, end);
            }
            if (plan.recordReturn() && value != null && cause == null) {
                call.attribute(CODE_RETURN, String.valueOf(value));
            }
        }
        if (failed && !cancelled && plan.log()) {
            logFailure(call != null ? call.context() : ThreadSpans.currentContext(), cause);
        }
        if (recording && nanos >= plan.minDurationNanos()) {
            ship(call, end);
        }
        detach(call);
    }

    private void ship(Call call, long end) {
        call.end(end);
        if (spans != null) {
            spans.add(call);
        }
    }

    private static void detach(Call call) {
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
