package dev.plumb.bench.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link TrivialMethodBench} under no agent, OpenTelemetry's javaagent and Plumb's agent,
 * every one exporting over OTLP/HTTP to a loopback sink started here, then times a hello-world
 * JVM with and without each agent. Prints one Markdown table of each, as docs/performance.md shows.
 *
 * <p>Usage: {@code java -jar bench/agent/target/benchmarks.jar [startup-runs [startup | cases]]}:
 * runs default to 10; a second argument {@code startup} times the start-up only, a comma-separated
 * list of case keys ({@code a,b,c,d,d',e}) runs only those cases and no start-up timing.
 */
public final class AgentBench {

    private AgentBench() {
    }

    /** One benchmark run: a label, the benchmark method and the JVM arguments it forks with. */
    private record Case(String key, String label, String method, List<String> jvmArgs) {
    }

    public static void main(String[] args) throws Exception {
        int startupRuns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path agents = agentsDir();
        Path plumb = agents.resolve("plumb-agent.jar");
        Path otel = agents.resolve("opentelemetry-javaagent.jar");
        for (Path jar : List.of(plumb, otel)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no " + jar + "; build with ./mvnw -pl bench/agent -am package -DskipTests");
            }
        }
        AtomicLong exports = new AtomicLong();
        HttpServer sink = sink(exports);
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort();
        try {
            if (args.length > 1 && args[1].equals("startup")) {
                System.out.println(startup(startupRuns, plumb, otel, endpoint));
                return;
            }
            List<String> plumbArgs = List.of("-javaagent:" + plumb, "-Dotel.exporter.otlp.endpoint=" + endpoint,
                    "-Dotel.service.name=bench", "-Dplumb.prometheus.port=0");
            List<String> otelArgs = List.of("-javaagent:" + otel, "-Dotel.exporter.otlp.endpoint=" + endpoint,
                    "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.service.name=bench",
                    "-Dotel.traces.sampler=always_on", "-Dotel.javaagent.logging=none");
            List<String> sampledOut = new ArrayList<>(plumbArgs);
            sampledOut.addAll(List.of("-Dotel.traces.sampler=traceidratio", "-Dotel.traces.sampler.arg=0"));
            List<String> mostlySampledOut = new ArrayList<>(plumbArgs);
            mostlySampledOut.addAll(List.of("-Dotel.traces.sampler=traceidratio", "-Dotel.traces.sampler.arg=0.01"));
            List<Case> cases = List.of(
                    new Case("a", "(a) no agent", "monitored", List.of()),
                    new Case("b", "(b) OpenTelemetry javaagent 2.31.1, @WithSpan", "monitored", otelArgs),
                    new Case("c", "(c) plumb-agent, @Monitor", "monitored", plumbArgs),
                    new Case("d", "(d) plumb-agent, @Monitor, sampled out (traceidratio 0)", "monitored", sampledOut),
                    new Case("d'", "(d') plumb-agent, @Monitor, traceidratio 0.01 (99% of traces sampled out)",
                            "monitored", mostlySampledOut),
                    new Case("e", "(e) plumb-agent, @Monitor(span = false)", "metricsOnly", plumbArgs));
            // A second argument other than "startup" picks cases by key (b,c,d,d') and skips start-up.
            List<String> selected = args.length > 1 ? List.of(args[1].split(",")) : null;
            StringBuilder table = new StringBuilder(
                    "| case | ns/call (mean) | ± (99.9%) | ns/call (median iteration) | bytes allocated/call |\n")
                    .append("| --- | ---: | ---: | ---: | ---: |\n");
            for (Case c : cases) {
                if (selected != null && !selected.contains(c.key())) {
                    continue;
                }
                RunResult result = run(c);
                Result<?> score = result.getPrimaryResult();
                Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
                table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %s |%n", c.label(), score.getScore(),
                        score.getScoreError(), medianIteration(result),
                        alloc == null ? "n/a" : String.format(Locale.ROOT, "%.1f", alloc.getScore())));
            }
            table.append("\nOTLP export requests received by the sink: ").append(exports.get()).append('\n');
            System.out.println();
            System.out.println(table);
            if (selected != null) {
                return;
            }
            System.out.println(startup(startupRuns, plumb, otel, endpoint));
        } finally {
            sink.stop(0);
        }
    }

    /**
     * The median of the measured iterations' scores. On a shared machine an iteration in which the
     * benchmark thread lost its core for a while inflates the mean; the median ignores it.
     */
    private static double medianIteration(RunResult result) {
        double[] scores = result.getBenchmarkResults().stream()
                .flatMap(benchmark -> benchmark.getIterationResults().stream())
                .mapToDouble(iteration -> iteration.getPrimaryResult().getScore())
                .sorted()
                .toArray();
        int middle = scores.length / 2;
        return scores.length % 2 == 1 ? scores[middle] : (scores[middle - 1] + scores[middle]) / 2;
    }

    private static RunResult run(Case c) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(TrivialMethodBench.class.getName() + "\\." + c.method() + "$")
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend(c.jvmArgs().toArray(String[]::new));
        return new Runner(options.build()).runSingle();
    }

    /** Wall time of a hello-world JVM, median and mean of {@code runs} starts, per agent. */
    private static String startup(int runs, Path plumb, Path otel, String endpoint) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Path.of(AgentBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<List<String>> commands = List.of(
                List.of(java, "-cp", classPath, Hello.class.getName()),
                List.of(java, "-javaagent:" + plumb, "-Dotel.exporter.otlp.endpoint=" + endpoint,
                        "-cp", classPath, Hello.class.getName()),
                List.of(java, "-javaagent:" + plumb, "-Dotel.exporter.otlp.endpoint=" + endpoint,
                        "-cp", classPath, HelloMonitored.class.getName()),
                List.of(java, "-javaagent:" + otel, "-Dotel.exporter.otlp.endpoint=" + endpoint,
                        "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.javaagent.logging=none",
                        "-cp", classPath, Hello.class.getName()));
        String[] labels = {"no agent", "plumb-agent", "plumb-agent, main calls one @Monitor method",
            "OpenTelemetry javaagent"};
        StringBuilder table = new StringBuilder("| hello-world JVM, " + runs + " runs | median ms | mean ms | added (median) ms |\n")
                .append("| --- | ---: | ---: | ---: |\n");
        long baseline = 0;
        for (int i = 0; i < commands.size(); i++) {
            long[] millis = new long[runs];
            time(commands.get(i));  // one unmeasured run warms the page cache
            for (int run = 0; run < runs; run++) {
                millis[run] = time(commands.get(i));
            }
            Arrays.sort(millis);
            long median = millis[runs / 2];
            if (i == 0) {
                baseline = median;
            }
            table.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %s |%n", labels[i], median,
                    Arrays.stream(millis).average().orElse(0), i == 0 ? "" : Long.toString(median - baseline)));
        }
        return table.toString();
    }

    private static long time(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("start-up run failed: " + command);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** An OTLP/HTTP endpoint on loopback that accepts and discards every export. */
    private static HttpServer sink(AtomicLong exports) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            exports.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Path agentsDir() throws URISyntaxException {
        String configured = System.getProperty("plumb.bench.agents");
        if (configured != null) {
            return Path.of(configured);
        }
        Path jar = Path.of(AgentBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().resolve("agents");
    }
}
