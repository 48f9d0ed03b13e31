package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: a collector in a forked JVM acknowledges spans and logs, is
 * killed with SIGKILL, and a new collector on the same data dir finds every one of them.
 */
class CollectorCrashIT {
    static final int REQUESTS = 30;
    static final int SPANS_PER_REQUEST = 40;

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedRecordSurvivesKillDashNine() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaBin.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ForkedCollectorMain.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        Set<String> acknowledgedTraces = new HashSet<>();
        int acknowledgedLogs = 0;
        try {
            int[] ports = readPorts(child);
            ApiClient otlp = new ApiClient(ports[1]);
            for (int r = 0; r < REQUESTS; r++) {
                Span[] spans = new Span[SPANS_PER_REQUEST];
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < SPANS_PER_REQUEST; i++) {
                    String traceId = String.format(Locale.ROOT, "%016x%016x", 0xc0ffeeL, (long) r * 1000 + i);
                    ids.add(traceId);
                    spans[i] = OtlpRequests.span(traceId, String.format(Locale.ROOT, "%016x", r * 1000L + i + 1),
                            "op-" + r, 3);
                }
                byte[] body = OtlpRequests.traces("crash", spans).toByteArray();
                if (r % 3 == 0) {
                    // every third request over gRPC, the others over HTTP
                    if (RawGrpcCall.export(ports[0], OtlpBadInputTest.TRACES, body).status() == 0) {
                        acknowledgedTraces.addAll(ids);
                    }
                } else if (otlp.post("/v1/traces", "application/x-protobuf", null, body).status() == 200) {
                    acknowledgedTraces.addAll(ids);
                }
                if (otlp.post("/v1/logs", "application/x-protobuf", null, logs(r).toByteArray()).status() == 200) {
                    acknowledgedLogs += 5;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledgedTraces).hasSize(REQUESTS * SPANS_PER_REQUEST);
        assertThat(acknowledgedLogs).isEqualTo(REQUESTS * 5);

        try (Collector restarted = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data))) {
            ApiClient api = new ApiClient(restarted.httpPort());
            Set<String> missing = new HashSet<>();
            for (String traceId : acknowledgedTraces) {
                if (api.get("/api/v1/traces/" + traceId).status() != 200) {
                    missing.add(traceId);
                }
            }
            assertThat(missing).as("acknowledged traces missing after the crash").isEmpty();
            assertThat(api.json("/api/v1/logs?q=service:crash&limit=10000&from=now-2h").get("logs"))
                    .hasSize(acknowledgedLogs);
        }
    }

    private static ExportLogsServiceRequest logs(int request) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < 5; i++) {
            scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(OtlpRequests.nanosAgo(30))
                    .setSeverityNumberValue(9).setBody(AnyValue.newBuilder().setStringValue("request " + request + " line " + i)));
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("crash"))))
                .addScopeLogs(scope)).build();
    }

    private static int[] readPorts(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            if (line.startsWith("PORTS ")) {
                String[] p = line.substring(6).trim().split(" ");
                // keep draining the child's output so that it never blocks on a full pipe
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "crash-child-output");
                drain.setDaemon(true);
                drain.start();
                return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the forked collector did not print its ports:\n" + seen);
    }
}
