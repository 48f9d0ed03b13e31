package dev.plumb.cli.demo;

import dev.plumb.cli.api.PlumbApi;
import dev.plumb.cli.serve.Endpoints;
import dev.plumb.cli.serve.ServerOptions;
import dev.plumb.cli.serve.StopHook;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import dev.plumb.demo.launch.DemoWorkload;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb demo}: {@code serve} plus a live workload of instrumented services. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Run the collector plus a live demo workload.",
        description = {
                "",
                "Runs everything serve does, plus a small shop: frontend -> checkout -> inventory and payment, "
                        + "each in its own JVM under the Plumb agent, with realistic latency, a few percent of "
                        + "failures, and simulated Kubernetes usage so that costs exist. Prints the dashboard URL once "
                        + "the first data arrives; Ctrl-C stops every process.",
                "",
                "The services' output goes to <data-dir>/demo-logs/<service>.log.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ./plumb demo",
                "  ./plumb demo --http-port 8080 --data-dir /tmp/plumb-demo --rps 10",
                "  ./plumb query logs 'service:payment AND status:error'   # in another terminal"})
public final class DemoCommand implements Callable<Integer> {

    private static final Duration FIRST_DATA_TIMEOUT = Duration.ofSeconds(90);

    @Mixin
    ServerOptions options;

    @Option(names = "--rps", paramLabel = "N", defaultValue = "4",
            description = "Requests per second the demo's shoppers send, 0.1 to 50. Default: ${DEFAULT-VALUE}.")
    double requestsPerSecond;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    public DemoCommand() {
        this(System.getenv());
    }

    public DemoCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        PlumbConfig config = options.toConfig(env, spec.commandLine());
        if (requestsPerSecond < 0.1 || requestsPerSecond > 50) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rps must be between 0.1 and 50, got " + requestsPerSecond);
        }
        PlumbHome home = PlumbHome.current();
        for (Path jar : new Path[] {home.agentJar(), home.demoJar()}) {
            if (!Files.isRegularFile(jar)) {
                throw new IOException("cannot find " + jar + ": run ./plumb demo from the repository"
                        + " (it builds the jars), or ./mvnw -DskipTests install and set -Dplumb.home to the checkout");
            }
        }
        Path logDir = config.dataDir().resolve("demo-logs");
        PrintWriter out = spec.commandLine().getOut();
        StopHook stopHook = StopHook.install();
        try {
            Collector collector = stopHook.closeOnStop(Collector.start(config));
            Endpoints endpoints = Endpoints.of(config.host(), collector);
            // The children and our own polling talk to the collector on this machine.
            String local = endpoints.host().equals("localhost") ? "127.0.0.1" : endpoints.host();
            out.println("Plumb is running (data in " + config.dataDir().toAbsolutePath().normalize() + "):");
            out.println(endpoints.describe());
            out.println("Starting the demo services under the agent (logs in " + logDir.toAbsolutePath().normalize() + ")...");
            out.flush();
            DemoWorkload workload = stopHook.closeOnStop(DemoWorkload.start(new DemoWorkload.Settings(
                    home.agentJar(), home.demoJar(), URI.create("http://" + local + ":" + collector.otlpHttpPort()),
                    logDir, requestsPerSecond)));
            Optional<String> problem = awaitFirstData(
                    new PlumbApi(URI.create("http://" + local + ":" + collector.httpPort())), workload);
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("plumb demo: " + problem.get());
                stopHook.stopNow();
                return 1;
            }
            out.println("Plumb demo running: dashboards " + endpoints.dashboards() + "  API " + endpoints.services());
            out.println("Press Ctrl-C to stop the demo.");
            out.flush();
        } catch (IOException | RuntimeException e) {
            stopHook.stopNow();
            throw e;
        }
        stopHook.await();
        return 0;
    }

    /** Waits until a demo service has reported requests; empty when it has, else what went wrong. */
    private Optional<String> awaitFirstData(PlumbApi api, DemoWorkload workload) {
        long deadline = System.nanoTime() + FIRST_DATA_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> exited = workload.firstExited();
            if (exited.isPresent()) {
                return exited;
            }
            try {
                if (api.servicesWithRequests() > 0) {
                    return Optional.empty();
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted before the first data arrived");
            } catch (IOException | PlumbApi.ApiException e) {
                // The API may answer errors while the store warms up; keep waiting until the deadline.
                sleepQuietly();
            }
        }
        return Optional.of("no data arrived within " + FIRST_DATA_TIMEOUT.toSeconds() + " s; see the services' logs in "
                + workload.logFile("frontend").getParent());
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
