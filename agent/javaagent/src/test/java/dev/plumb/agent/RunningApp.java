package dev.plumb.agent;

import java.util.List;
import java.util.Map;

/**
 * A test app under the agent that stays up (it waits on stdin after printing READY), with the
 * OTLP receiver it exports to and its Prometheus port, for ITs whose tests share one run.
 */
final class RunningApp implements AutoCloseable {

    final OtlpReceiver receiver;
    final ForkedApp app;
    final int prometheusPort;

    private RunningApp(OtlpReceiver receiver, ForkedApp app, int prometheusPort) {
        this.receiver = receiver;
        this.app = app;
        this.prometheusPort = prometheusPort;
    }

    /** Starts {@code mainClass} with the quick-export settings plus {@code env}, and waits for READY. */
    static RunningApp start(String service, Map<String, String> env, List<String> classPath, String mainClass)
            throws Exception {
        OtlpReceiver receiver = new OtlpReceiver();
        int prometheusPort = ForkedApp.freePort();
        Map<String, String> settings = ForkedApp.quickExport(receiver.endpoint(), service, prometheusPort);
        settings.putAll(env);
        ForkedApp app = ForkedApp.start(ForkedApp.javaHome(), classPath, settings, mainClass);
        app.awaitLine("READY", 30_000);
        return new RunningApp(receiver, app, prometheusPort);
    }

    AgentMetrics metrics() throws Exception {
        return AgentMetrics.scrape(prometheusPort);
    }

    @Override
    public void close() throws Exception {
        app.finishInput();
        app.await(20);
        receiver.close();
    }
}
