package dev.plumb.agent;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a test app's main class in a new JVM under the packaged agent jar. */
final class ForkedApp implements AutoCloseable {

    static final String JAVA_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startNanos = System.nanoTime();

    private ForkedApp(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The shaded agent jar that {@code package} built. */
    static Path agentJar() {
        String jar = System.getProperty("plumb.agent.jar", "target/plumb-agent.jar");
        Path path = Paths.get(jar).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no agent jar at " + path + "; run ./mvnw -pl agent/javaagent -am verify");
        }
        return path;
    }

    /** The class path of the test apps: their classes, the annotation, SLF4J and Logback. */
    static List<String> appClassPath() {
        return appClassPathWith();
    }

    /**
     * The test apps' class path plus the test class path's jars whose path contains one of
     * {@code jars}, for example {@code "/log4j-"} or {@code "/reactor-core"}.
     */
    static List<String> appClassPathWith(String... jars) {
        List<String> result = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalized = entry.replace('\\', '/');
            if (normalized.endsWith("test-classes") || normalized.contains("plumb-monitor")
                    || normalized.contains("agent/monitor/target") || normalized.contains("/slf4j-api")
                    || normalized.contains("/logback-")
                    || java.util.Arrays.stream(jars).anyMatch(normalized::contains)) {
                result.add(entry);
            }
        }
        return result;
    }

    /** The jars of an app that bundles its own OpenTelemetry and ByteBuddy versions. */
    static List<String> appOwnLibraries() throws IOException {
        Path dir = Paths.get(System.getProperty("plumb.app.own.libs", "target/app-own-libs"));
        try (var files = Files.list(dir)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Environment that makes the agent export within a fraction of a second. */
    static Map<String, String> quickExport(String endpoint, String service, int prometheusPort) {
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
        env.put("OTEL_SERVICE_NAME", service);
        env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
        env.put("OTEL_BLRP_SCHEDULE_DELAY", "100");
        env.put("OTEL_METRIC_EXPORT_INTERVAL", "300");
        env.put("PLUMB_PROMETHEUS_PORT", Integer.toString(prometheusPort));
        env.put("PLUMB_PROMETHEUS_HOST", "127.0.0.1");
        return env;
    }

    static ForkedApp start(String java, List<String> classPath, Map<String, String> env, String mainClass,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-javaagent:" + agentJar());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("plumb-app", ".out");
        Path err = Files.createTempFile("plumb-app", ".err");
        out.toFile().deleteOnExit();
        err.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("PLUMB_"));
        builder.environment().putAll(env);
        return new ForkedApp(builder.start(), out, err);
    }

    static ForkedApp start(Map<String, String> env, String mainClass, String... args) throws IOException {
        return start(javaHome(), appClassPath(), env, mainClass, args);
    }

    /** The java launcher of the JVM running the tests. */
    static String javaHome() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for a line that starts with {@code prefix} on stdout. */
    String awaitLine(String prefix, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line starting with " + prefix + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }

    /** Tells an app waiting on stdin to finish. */
    void finishInput() throws IOException {
        try (OutputStream in = process.getOutputStream()) {
            in.write("quit\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Waits for exit and returns the exit code. */
    int await(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("app did not exit within " + timeoutSeconds + " s; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
