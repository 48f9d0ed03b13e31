package dev.plumb.agent;

import dev.plumb.agent.config.AgentConfig;
import dev.plumb.agent.export.TelemetryPipeline;
import dev.plumb.agent.instrument.MonitorInstaller;
import dev.plumb.agent.logs.LogCaptureInstaller;
import dev.plumb.agent.propagation.HttpClientTransformer;
import dev.plumb.agent.runtime.CallExemplars;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code -javaagent:plumb-agent.jar}: reads the configuration, starts the
 * telemetry pipeline and installs the instrumentation. Whatever goes wrong here is printed in
 * one line and the application starts uninstrumented; the agent never stops it from running.
 */
public final class PlumbAgent {

    /** Held so that the JUL level set on the bundled SDK's loggers is not garbage collected. */
    private static Logger sdkLogger;

    private PlumbAgent() {
    }

    /** Called by the JVM before {@code main} when started with {@code -javaagent}. */
    public static void premain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, false);
    }

    /** Called when the agent is attached to a running JVM. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, true);
    }

    private static synchronized void start(Instrumentation instrumentation, boolean attached) {
        try {
            AgentConfig config = AgentConfig.fromEnvironment();
            TelemetryPipeline.validate(config);
            quietSdkLogging();
            String version = PlumbAgent.class.getPackage().getImplementationVersion();
            CompletableFuture<TelemetryPipeline> pipeline = buildInBackground(config, version == null ? "dev" : version);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (pipeline.isDone() && !pipeline.isCompletedExceptionally()) {
                    pipeline.join().shutdown();
                }
            }, "plumb-agent-shutdown"));
            MonitorInstaller.install(instrumentation, config, pipeline::join, attached);
            if (config.httpClientPropagation()) {
                HttpClientTransformer.install(instrumentation, attached);
            }
            if (config.captureLogs() && config.logsEnabled()) {
                LogCaptureInstaller.install(instrumentation, pipeline.join().loggerProvider());
            }
            if (config.debug()) {
                System.err.println("[plumb-agent] started: service " + config.serviceName() + ", OTLP "
                        + config.endpoint() + ", Prometheus port " + config.prometheusPort());
            }
        } catch (IllegalArgumentException e) {
            System.err.println("[plumb-agent] ERROR " + e.getMessage() + "; the application runs without monitoring.");
        } catch (Throwable e) {
            System.err.println("[plumb-agent] ERROR cannot start: " + e + "; the application runs without monitoring.");
        }
    }

    /**
     * Builds the SDK, exporters and histogram on a daemon thread while the main thread installs
     * the instrumentation, so that the two halves of the agent's start-up overlap; the first
     * monitored class to be transformed waits for it.
     */
    private static CompletableFuture<TelemetryPipeline> buildInBackground(AgentConfig config, String version) {
        CompletableFuture<TelemetryPipeline> pipeline = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                pipeline.complete(TelemetryPipeline.start(config, version, new CallExemplars()));
            } catch (Throwable e) {
                System.err.println("[plumb-agent] ERROR cannot start telemetry: " + e
                        + "; the application runs without monitoring.");
                pipeline.completeExceptionally(e);
            }
        }, "plumb-agent-start");
        builder.setDaemon(true);
        builder.start();
        return pipeline;
    }

    /**
     * The bundled SDK logs every failed export at SEVERE through JUL; the agent reports an
     * unreachable collector once itself, so the SDK's own lines would only be noise in the app's log.
     */
    private static void quietSdkLogging() {
        String name = SdkTracerProvider.class.getName();
        sdkLogger = Logger.getLogger(name.substring(0, name.indexOf(".sdk.")));
        sdkLogger.setLevel(Level.OFF);
    }
}
