package dev.plumb.cli.serve;

import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code plumb serve}: the collector, API and dashboards, until Ctrl-C. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Run the collector, the HTTP API and the dashboards.",
        description = {
                "",
                "Runs the OTLP receivers (gRPC and HTTP), the HTTP API and the dashboards, storing everything "
                        + "in an embedded DuckDB under the data directory. Runs until Ctrl-C or SIGTERM, then flushes "
                        + "what it accepted and stops.",
                "",
                "Each flag defaults to its PLUMB_* variable, then to the value shown.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ./plumb serve",
                "  ./plumb serve --host 127.0.0.1 --http-port 8080 --data-dir /var/lib/plumb",
                "  PLUMB_HTTP_PORT=8080 ./plumb serve",
                "",
                "Then point an application at it:",
                "  OTEL_SERVICE_NAME=shop OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \\",
                "    java -javaagent:agent/javaagent/target/plumb-agent.jar -jar shop.jar",
                "",
                "Other variables: PLUMB_ALERT_REPEAT_INTERVAL (how often a firing alert notifies again, default 4h),",
                "PLUMB_SLACK_SIGNING_SECRET (slash commands)."})
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    public ServeCommand() {
        this(System.getenv());
    }

    public ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PlumbConfig config = options.toConfig(env, spec.commandLine());
        StopHook stopHook = StopHook.install();
        Collector collector = stopHook.closeOnStop(Collector.start(config));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Plumb is running (data in " + config.dataDir().toAbsolutePath().normalize() + "):");
        out.println(Endpoints.of(config.host(), collector).describe());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopHook.await();
        return 0;
    }
}
