package dev.plumb.demo.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the demo's services, each in its own JVM under the Plumb agent, plus the cluster
 * simulator without it, and stops them all. Used by {@code plumb demo} and by the demo's
 * integration test, so both run exactly the same processes.
 */
public final class DemoWorkload implements AutoCloseable {

    /** The demo services in start order: callees first, so callers find them listening. */
    public static final List<String> SERVICES = List.of("payment", "inventory", "checkout", "frontend");

    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "payment", "dev.plumb.demo.payment.PaymentService",
            "inventory", "dev.plumb.demo.inventory.InventoryService",
            "checkout", "dev.plumb.demo.checkout.CheckoutService",
            "frontend", "dev.plumb.demo.frontend.FrontendService");
    private static final Map<String, String> TEAMS = Map.of(
            "payment", "payments", "checkout", "payments", "inventory", "fulfilment", "frontend", "web");
    private static final String SIMULATOR = "cluster-simulator";
    private static final List<String> SMALL_JVM = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Map<String, Process> processes;
    private final Path logDir;

    private DemoWorkload(Map<String, Process> processes, Path logDir) {
        this.processes = processes;
        this.logDir = logDir;
    }

    /**
     * What to run and where to send it.
     *
     * @param agentJar          the shaded {@code plumb-agent.jar}
     * @param demoJar           the shaded {@code plumb-demo.jar} with the services and their dependencies
     * @param otlpHttpEndpoint  the collector's OTLP/HTTP base URL, e.g. {@code http://127.0.0.1:4318}
     * @param logDir            where each child's output goes, as {@code <service>.log}
     * @param requestsPerSecond the load driver's rate
     */
    public record Settings(Path agentJar, Path demoJar, URI otlpHttpEndpoint, Path logDir, double requestsPerSecond) {
        public Settings {
            requireFile(agentJar, "agent jar");
            requireFile(demoJar, "demo jar");
            if (requestsPerSecond <= 0 || requestsPerSecond > 50) {
                throw new IllegalArgumentException("requests per second must be in (0, 50], was " + requestsPerSecond);
            }
        }

        private static void requireFile(Path path, String what) {
            if (path == null || !Files.isRegularFile(path)) {
                throw new IllegalArgumentException("cannot find the " + what + " at " + path
                        + ": build it with ./mvnw -DskipTests install (./plumb does this for you)");
            }
        }
    }

    /** Starts every service and the simulator; if one cannot start, the ones already started are stopped. */
    public static DemoWorkload start(Settings settings) throws IOException {
        Files.createDirectories(settings.logDir());
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
        Map<String, Process> started = new LinkedHashMap<>();
        DemoWorkload workload = new DemoWorkload(started, settings.logDir());
        try {
            for (String service : SERVICES) {
                started.put(service, launch(settings, service, agentCommand(settings, service),
                        serviceEnvironment(settings, service, ports)));
            }
            List<String> simulator = new ArrayList<>(javaCommand());
            simulator.addAll(List.of("-cp", settings.demoJar().toString(), "dev.plumb.demo.cluster.ClusterSimulator"));
            started.put(SIMULATOR, launch(settings, SIMULATOR, simulator, Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", settings.otlpHttpEndpoint().toString(),
                    OrphanGuard.PARENT_PID, String.valueOf(ProcessHandle.current().pid()))));
        } catch (IOException | RuntimeException e) {
            workload.close();
            throw e;
        }
        return workload;
    }

    /** The first child that has exited, with its exit code, so a caller can say which one died and where its log is. */
    public Optional<String> firstExited() {
        return processes.entrySet().stream()
                .filter(entry -> !entry.getValue().isAlive())
                .map(entry -> entry.getKey() + " exited with code " + entry.getValue().exitValue()
                        + "; see " + logFile(entry.getKey()))
                .findFirst();
    }

    public Path logFile(String process) {
        return logDir.resolve(process + ".log");
    }

    /** Asks every child to stop (SIGTERM, so the agent flushes), waits, and kills what is left. */
    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Process process : processes.values()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> agentCommand(Settings settings, String service) {
        List<String> command = new ArrayList<>(javaCommand());
        command.add("-javaagent:" + settings.agentJar());
        command.addAll(List.of("-cp", settings.demoJar().toString(), MAIN_CLASSES.get(service)));
        return command;
    }

    private static Map<String, String> serviceEnvironment(Settings settings, String service, Map<String, Integer> ports) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OTEL_SERVICE_NAME", service);
        env.put("OTEL_RESOURCE_ATTRIBUTES", "team=" + TEAMS.get(service) + ",deployment.environment=demo");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", settings.otlpHttpEndpoint().toString());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        // Short intervals so the dashboards fill within seconds rather than a minute.
        env.put("OTEL_BSP_SCHEDULE_DELAY", "1000");
        env.put("OTEL_BLRP_SCHEDULE_DELAY", "1000");
        env.put("OTEL_METRIC_EXPORT_INTERVAL", "5000");
        // Four agents on one machine would fight over 9464; the demo reads everything over OTLP.
        env.put("PLUMB_PROMETHEUS_PORT", "0");
        env.put("PLUMB_DEMO_PORT", String.valueOf(ports.get(service)));
        for (String callee : List.of("payment", "inventory", "checkout")) {
            env.put("PLUMB_DEMO_" + callee.toUpperCase() + "_URL", "http://127.0.0.1:" + ports.get(callee));
        }
        env.put("PLUMB_DEMO_RPS", String.valueOf(settings.requestsPerSecond()));
        env.put(OrphanGuard.PARENT_PID, String.valueOf(ProcessHandle.current().pid()));
        return env;
    }

    private static Process launch(Settings settings, String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(settings.logDir().resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start the demo's " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SMALL_JVM);
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
