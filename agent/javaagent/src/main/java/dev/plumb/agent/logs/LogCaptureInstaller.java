package dev.plumb.agent.logs;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperClass;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.plumb.agent.runtime.AgentErrors;
import io.opentelemetry.api.logs.LoggerProvider;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs log capture ({@code PLUMB_CAPTURE_LOGS=true}): advice on Logback's
 * {@code Logger.callAppenders}, Log4j 2's logging methods and JUL's {@code Logger.log(LogRecord)}.
 *
 * <p>Nothing here depends on a logging library: each is matched by name when the application
 * loads it, and its advice is read from the agent jar as a class file, never loaded by the agent.
 */
public final class LogCaptureInstaller {

    private static final String PACKAGE = "dev.plumb.agent.logs.";
    private static final String LOG4J_LEVEL = "org.apache.logging.log4j.Level";
    private static final String LOG4J_MESSAGE = "org.apache.logging.log4j.message.Message";

    private LogCaptureInstaller() {
    }

    /**
     * Installs the advice and starts capturing into the given provider.
     *
     * @throws IOException when the JUL bridge cannot be written for the bootstrap class loader
     */
    public static void install(Instrumentation instrumentation, LoggerProvider provider) throws IOException {
        ClassLoader agentLoader = LogCaptureInstaller.class.getClassLoader();
        injectJulBridge(instrumentation, agentLoader);
        LogCapture.activate(provider);
        Class<?> bridge = JulBridge.class;

        AgentBuilder.Transformer.ForAdvice logback = new AgentBuilder.Transformer.ForAdvice()
                .include(agentLoader)
                .advice(named("callAppenders").and(takesArguments(1)), PACKAGE + "LogbackAppendAdvice");
        AgentBuilder.Transformer.ForAdvice log4j = new AgentBuilder.Transformer.ForAdvice()
                .include(agentLoader)
                .advice(log4jEventMethod("log").or(log4jEventMethod("logMessage"))
                        .or(named("logMessage").and(not(isAbstract())).and(takesArguments(5))
                                .and(takesArgument(1, named(LOG4J_LEVEL))).and(takesArgument(3, named(LOG4J_MESSAGE)))),
                        PACKAGE + "Log4jLogAdvice");
        AgentBuilder.Transformer.ForAdvice jul = new AgentBuilder.Transformer.ForAdvice()
                .include(agentLoader)
                .advice(named("log").and(takesArguments(1)).and(takesArgument(0, named("java.util.logging.LogRecord"))),
                        PACKAGE + "JulLogAdvice");

        new AgentBuilder.Default()
                .disableClassFormatChanges()
                // JUL's Logger is loaded before main (the agent itself loads it), so it is retransformed.
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Failures())
                // The advice inlined into java.logging refers to the bridge in the bootstrap loader's unnamed module.
                .assureReadEdgeTo(instrumentation, bridge)
                .ignore(none())
                .type(named("ch.qos.logback.classic.Logger"))
                .transform(logback)
                .type(nameStartsWith("org.apache.logging.").and(hasSuperClass(named("org.apache.logging.log4j.spi.AbstractLogger"))))
                .transform(log4j)
                .type(named("java.util.logging.Logger"))
                .transform(jul)
                .installOn(instrumentation);
    }

    /** {@code name(Level, Marker, String, StackTraceElement, Message, Throwable)}, implemented. */
    private static ElementMatcher.Junction<MethodDescription> log4jEventMethod(String name) {
        return named(name).and(not(isAbstract())).and(takesArguments(6))
                .and(takesArgument(0, named(LOG4J_LEVEL)))
                .and(takesArgument(3, named("java.lang.StackTraceElement")))
                .and(takesArgument(4, named(LOG4J_MESSAGE)));
    }

    /**
     * Puts {@link JulBridge} into the bootstrap class loader before anything loads it from the
     * agent jar, so that the agent's own references to it resolve to the same class.
     *
     * <p>ByteBuddy writes the jar for the bootstrap loader into the folder given, loads the class
     * and deletes the jar (the JVM reads it through the handle it opened); the folder goes at
     * once too, so that a JVM that is later killed leaves nothing in the temporary directory.
     */
    private static void injectJulBridge(Instrumentation instrumentation, ClassLoader agentLoader) throws IOException {
        String name = PACKAGE + "JulBridge";
        byte[] bytes = ClassFileLocator.ForClassLoader.of(agentLoader).locate(name).resolve();
        Path folder = Files.createTempDirectory("plumb-agent-boot");
        try {
            ClassInjector.UsingInstrumentation.of(folder.toFile(), ClassInjector.UsingInstrumentation.Target.BOOTSTRAP,
                    instrumentation).injectRaw(Map.of(name, bytes));
        } finally {
            // Where ByteBuddy could not delete the jar (an open file on Windows), both go at exit, jar first.
            if (!folder.toFile().delete()) {
                folder.toFile().deleteOnExit();
                try (var jars = Files.list(folder)) {
                    jars.forEach(jar -> jar.toFile().deleteOnExit());
                }
            }
        }
    }

    /** Reports a library that cannot be instrumented once; its events are then not captured. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentErrors.report("instrumenting " + typeName + " for log capture", error);
        }
    }
}
