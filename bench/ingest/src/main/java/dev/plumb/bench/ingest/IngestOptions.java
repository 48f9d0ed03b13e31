package dev.plumb.bench.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ingest bench's settings, from {@code --name=value} arguments.
 *
 * @param formats       servers to run, in order: {@code zipkin} (Zipkin v2 JSON), {@code otlp-json}, {@code otlp-protobuf} (Plumb)
 * @param concurrency   sender threads of each level
 * @param seconds       longest time of a level
 * @param maxRequests   most accepted requests of a level
 * @param warmupSeconds load at 4 senders before the first level (counted back, not reported)
 * @param tracesPerBody traces per request (10 spans each)
 * @param zipkinJar     the zipkin-server exec jar
 * @param plumbJar      the CLI jar that {@code ./plumb} runs
 * @param jvmArgs       extra arguments for both servers' JVMs
 * @param plumbJvmArgs  extra arguments for Plumb's JVM only (after {@code jvmArgs}), such as the
 *                      {@code -Xmx384m -XX:+UseParallelGC} that {@code ./plumb} applies, without capping Zipkin's heap
 * @param workDir       logs, Plumb's data directories and the results file
 */
record IngestOptions(List<WireFormat> formats, List<Integer> concurrency, int seconds, long maxRequests,
                     int warmupSeconds, int tracesPerBody, Path zipkinJar, Path plumbJar, List<String> jvmArgs,
                     List<String> plumbJvmArgs, Path workDir) {

    static final String USAGE = """
            usage: IngestBench [--servers=zipkin,otlp-json,otlp-protobuf] [--concurrency=1,4,16] [--seconds=20]
                               [--max-requests=200000] [--warmup-seconds=5] [--traces-per-body=10]
                               [--zipkin-jar=bench/ingest/target/zipkin/zipkin-server-3.5.1-exec.jar]
                               [--plumb-jar=cli/target/plumb.jar] [--jvm-args="-Xmx1g ..."]
                               [--plumb-jvm-args="-Xmx384m -XX:+UseParallelGC ..."]
                               [--work-dir=bench/ingest/target/ingest-run]""";

    static IngestOptions parse(String[] args) {
        List<WireFormat> formats = List.of(WireFormat.values());
        List<Integer> concurrency = List.of(1, 4, 16);
        int seconds = 20;
        long maxRequests = 200_000;
        int warmup = 5;
        int tracesPerBody = 10;
        Path zipkin = Path.of("bench/ingest/target/zipkin/zipkin-server-3.5.1-exec.jar");
        Path plumb = Path.of("cli/target/plumb.jar");
        List<String> jvmArgs = List.of();
        List<String> plumbJvmArgs = List.of();
        Path workDir = Path.of("bench/ingest/target/ingest-run");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("'" + arg + "' is not --name=value");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            try {
                switch (name) {
                    case "servers" -> formats = formats(value);
                    case "concurrency" -> concurrency = positive(name, IngestBench.ints(value));
                    case "seconds" -> seconds = positive(name, List.of(Integer.parseInt(value))).get(0);
                    case "max-requests" -> maxRequests = positive(name, List.of(Integer.parseInt(value))).get(0);
                    case "warmup-seconds" -> warmup = Integer.parseInt(value);
                    case "traces-per-body" -> tracesPerBody = positive(name, List.of(Integer.parseInt(value))).get(0);
                    case "zipkin-jar" -> zipkin = Path.of(value);
                    case "plumb-jar" -> plumb = Path.of(value);
                    case "jvm-args" -> jvmArgs = value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                    case "plumb-jvm-args" -> plumbJvmArgs = value.isBlank() ? List.of()
                            : Arrays.asList(value.trim().split("\\s+"));
                    case "work-dir" -> workDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " takes whole numbers, was '" + value + "'");
            }
        }
        if (formats.contains(WireFormat.ZIPKIN_JSON) && !Files.isRegularFile(zipkin)) {
            throw new IllegalArgumentException("--zipkin-jar: no file " + zipkin.toAbsolutePath() + "; fetch it with "
                    + "./mvnw dependency:copy -Dartifact=io.zipkin:zipkin-server:3.5.1:jar:exec "
                    + "-DoutputDirectory=bench/ingest/target/zipkin, or leave zipkin out of --servers");
        }
        boolean needsPlumb = formats.stream().anyMatch(f -> f != WireFormat.ZIPKIN_JSON);
        if (needsPlumb && !Files.isRegularFile(plumb)) {
            throw new IllegalArgumentException("--plumb-jar: no file " + plumb.toAbsolutePath()
                    + "; build it with ./mvnw -B -q install -DskipTests (or run ./plumb --help once)");
        }
        return new IngestOptions(formats, concurrency, seconds, maxRequests, warmup, tracesPerBody, zipkin, plumb,
                jvmArgs, plumbJvmArgs, workDir);
    }

    private static List<WireFormat> formats(String csv) {
        List<WireFormat> out = new ArrayList<>();
        for (String label : csv.split(",")) {
            out.add(Arrays.stream(WireFormat.values()).filter(f -> f.label.equals(label.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--servers: unknown '" + label
                            + "'; choose from zipkin, otlp-json, otlp-protobuf")));
        }
        return out;
    }

    private static List<Integer> positive(String name, List<Integer> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("--" + name + " takes numbers of at least 1, was " + values);
        }
        return values;
    }
}
