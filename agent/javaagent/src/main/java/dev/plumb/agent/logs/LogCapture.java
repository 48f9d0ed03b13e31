package dev.plumb.agent.logs;

import dev.plumb.agent.runtime.AgentErrors;
import dev.plumb.agent.runtime.ThreadSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Turns the application's own log events (Logback, Log4j 2, JUL) into OTLP log records that
 * carry the trace context current on the logging thread ({@code PLUMB_CAPTURE_LOGS=true}).
 *
 * <p>The advice inlined into each logging library calls the static methods here with plain JDK
 * values. A per-thread depth keeps it to one record per event when one library forwards to
 * another (JUL to SLF4J, the Log4j API to Logback) and makes a log written while the agent
 * emits one impossible to capture, so the agent never feeds on its own output. The records go
 * through the SDK's bounded batch queue; bodies and stack traces are cut at {@link #MAX_TEXT}.
 */
public final class LogCapture {

    /** Longest body or stack trace kept, in characters; a runaway message cannot fill the queue's memory. */
    static final int MAX_TEXT = 16 * 1024;
    /** Distinct logger names given their own instrumentation scope; later ones share {@link #OTHER_SCOPE}. */
    static final int MAX_SCOPES = 1024;
    static final String OTHER_SCOPE = "dev.plumb.agent.logs";

    static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
    static final AttributeKey<String> LOGGER_NAME = AttributeKey.stringKey("log.logger.name");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile LogCapture active;

    private final LoggerProvider provider;
    private final ConcurrentHashMap<String, Logger> scopes = new ConcurrentHashMap<>();
    private final Logger other;

    private LogCapture(LoggerProvider provider) {
        this.provider = provider;
        this.other = provider.get(OTHER_SCOPE);
    }

    /** Starts capturing into the given provider's loggers. */
    static void activate(LoggerProvider provider) {
        active = new LogCapture(provider);
        JulBridge.installed = new JulCapture();
    }

    /**
     * Marks the start of a logging call on this thread.
     *
     * @return true when this call is the outermost one and capture is on, so its event is recorded
     */
    public static boolean enterLog() {
        return DEPTH.get()[0]++ == 0 && active != null;
    }

    /** Marks the end of a logging call begun with {@link #enterLog()}. */
    public static void exitLog() {
        int[] depth = DEPTH.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
    }

    /** An event of Logback; {@code level} is Logback's {@code Level.toInt()}. */
    public static void logback(int level, String levelName, String loggerName, String message, long epochMillis,
            Throwable thrown) {
        emit(logbackSeverity(level), levelName, loggerName, message, epochMillis, thrown);
    }

    /** An event of Log4j 2; {@code intLevel} is Log4j's, where smaller is more severe. */
    public static void log4j(int intLevel, String levelName, String loggerName, String message, Throwable thrown) {
        emit(log4jSeverity(intLevel), levelName, loggerName, message, System.currentTimeMillis(), thrown);
    }

    /** A failure to read an event: reported once, the application's logging goes on. */
    public static void failed(Throwable error) {
        AgentErrors.report("capturing a log event", error);
    }

    static Severity logbackSeverity(int level) {
        if (level >= 40_000) {
            return Severity.ERROR;
        } else if (level >= 30_000) {
            return Severity.WARN;
        } else if (level >= 20_000) {
            return Severity.INFO;
        } else if (level >= 10_000) {
            return Severity.DEBUG;
        }
        return Severity.TRACE;
    }

    static Severity log4jSeverity(int intLevel) {
        if (intLevel <= 100) {
            return intLevel <= 0 ? Severity.FATAL4 : Severity.FATAL;
        } else if (intLevel <= 200) {
            return Severity.ERROR;
        } else if (intLevel <= 300) {
            return Severity.WARN;
        } else if (intLevel <= 400) {
            return Severity.INFO;
        } else if (intLevel <= 500) {
            return Severity.DEBUG;
        }
        return Severity.TRACE;
    }

    /** JUL's levels as OpenTelemetry's log data model maps them (CONFIG between DEBUG and INFO). */
    static Severity julSeverity(int level) {
        if (level >= Level.SEVERE.intValue()) {
            return Severity.ERROR;
        } else if (level >= Level.WARNING.intValue()) {
            return Severity.WARN;
        } else if (level >= Level.INFO.intValue()) {
            return Severity.INFO;
        } else if (level >= Level.CONFIG.intValue()) {
            return Severity.DEBUG4;
        } else if (level >= Level.FINE.intValue()) {
            return Severity.DEBUG;
        } else if (level >= Level.FINER.intValue()) {
            return Severity.TRACE2;
        }
        return Severity.TRACE;
    }

    private static void emit(Severity severity, String levelName, String loggerName, String message,
            long epochMillis, Throwable thrown) {
        LogCapture capture = active;
        if (capture == null || isAgentOwn(loggerName)) {
            return;
        }
        try {
            LogRecordBuilder record = capture.logger(loggerName).logRecordBuilder()
                    .setTimestamp(epochMillis, TimeUnit.MILLISECONDS)
                    .setContext(ThreadSpans.currentContext())
                    .setSeverity(severity)
                    .setSeverityText(levelName)
                    .setBody(cut(message == null ? "" : message))
                    .setAttribute(THREAD_NAME, Thread.currentThread().getName());
            if (loggerName != null) {
                record.setAttribute(LOGGER_NAME, loggerName);
            }
            if (thrown != null) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                record.setAttribute(EXCEPTION_TYPE, thrown.getClass().getName())
                        .setAttribute(EXCEPTION_MESSAGE, cut(String.valueOf(thrown.getMessage())))
                        .setAttribute(EXCEPTION_STACKTRACE, cut(trace.toString()));
            }
            record.emit();
        } catch (Throwable e) {
            failed(e);
        }
    }

    /** The agent's own loggers (the bundled SDK logs through JUL) are never captured. */
    private static boolean isAgentOwn(String loggerName) {
        return loggerName != null && (loggerName.startsWith("dev.plumb.agent") || loggerName.startsWith("dev.plumb.shaded"));
    }

    private Logger logger(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return other;
        }
        Logger logger = scopes.get(loggerName);
        if (logger != null) {
            return logger;
        }
        if (scopes.size() >= MAX_SCOPES) {
            return other;
        }
        return scopes.computeIfAbsent(loggerName, provider::get);
    }

    static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }

    /** JUL's side: {@code Logger.log(LogRecord)} runs before the level and filter checks, so they are made here. */
    private static final class JulCapture extends JulBridge {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public boolean enter(java.util.logging.Logger logger, LogRecord record) {
            if (enterLog()) {
                try {
                    Filter filter = logger.getFilter();
                    if (record != null && logger.isLoggable(record.getLevel())
                            && (filter == null || filter.isLoggable(record))) {
                        String name = record.getLoggerName() == null ? logger.getName() : record.getLoggerName();
                        emit(julSeverity(record.getLevel().intValue()), record.getLevel().getName(), name,
                                formatter.formatMessage(record), record.getMillis(), record.getThrown());
                    }
                } catch (Throwable unreadable) {
                    failed(unreadable);
                }
            }
            return true;
        }

        @Override
        public void exit() {
            exitLog();
        }
    }
}
