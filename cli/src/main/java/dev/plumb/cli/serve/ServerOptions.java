package dev.plumb.cli.serve;

import dev.plumb.collector.DurationText;
import dev.plumb.collector.PlumbConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The collector's flags, shared by {@code serve} and {@code demo}. Each one defaults to its
 * {@code PLUMB_*} variable, then to the contract default (see {@code EnvironmentDefaults}).
 */
public final class ServerOptions {

    @Option(names = "--otlp-grpc-port", paramLabel = "PORT", defaultValue = "" + PlumbConfig.DEFAULT_OTLP_GRPC_PORT,
            description = "OTLP/gRPC receiver port; 0 picks a free one. Env PLUMB_OTLP_GRPC_PORT. Default: ${DEFAULT-VALUE}.")
    int otlpGrpcPort;

    @Option(names = "--otlp-http-port", paramLabel = "PORT", defaultValue = "" + PlumbConfig.DEFAULT_OTLP_HTTP_PORT,
            description = "OTLP/HTTP receiver port (/v1/traces, /v1/metrics, /v1/logs). Env PLUMB_OTLP_HTTP_PORT. Default: ${DEFAULT-VALUE}.")
    int otlpHttpPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + PlumbConfig.DEFAULT_HTTP_PORT,
            description = "API and dashboards port. Env PLUMB_HTTP_PORT. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "plumb-data",
            description = "Where the embedded DuckDB database lives. Env PLUMB_DATA_DIR. Default: ./${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--pricing", paramLabel = "FILE",
            description = "Pricing file of the cost model; without it OpenCost's on-premises defaults apply. Env PLUMB_PRICING.")
    Path pricingFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (report schedules, chat channels). This build only checks that it is"
                    + " readable: the scheduled chat reports that read it are not built yet. Env PLUMB_CONFIG.")
    Path configFile;

    @Option(names = "--alert-eval-interval", paramLabel = "DURATION", defaultValue = "15s",
            description = "How often alert subscriptions are evaluated (at least 1s). Env PLUMB_ALERT_EVAL_INTERVAL. Default: ${DEFAULT-VALUE}.")
    String alertEvalInterval;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address every listener binds; 127.0.0.1 keeps Plumb on this machine. Env PLUMB_HOST. Default: ${DEFAULT-VALUE}.")
    String host;

    /**
     * The validated configuration: the environment's other settings (such as
     * {@code PLUMB_ALERT_EVAL_INTERVAL}) with these flags on top.
     *
     * @throws IllegalArgumentException naming the flag or variable to fix
     */
    public PlumbConfig toConfig(Map<String, String> env) {
        return PlumbConfig.fromEnvironment(env)
                .withHost(host)
                .withOtlpGrpcPort(otlpGrpcPort)
                .withOtlpHttpPort(otlpHttpPort)
                .withHttpPort(httpPort)
                .withDataDir(dataDir)
                .withPricingFile(pricingFile)
                .withConfigFile(configFile)
                .withAlertEvalInterval(alertEvalInterval())
                .validate();
    }

    private java.time.Duration alertEvalInterval() {
        try {
            return DurationText.parse(alertEvalInterval);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--alert-eval-interval (PLUMB_ALERT_EVAL_INTERVAL): " + e.getMessage(), e);
        }
    }

    /** {@link #toConfig}, with a bad setting reported as a usage error of {@code command} (exit 2). */
    public PlumbConfig toConfig(Map<String, String> env, CommandLine command) {
        try {
            return toConfig(env);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
    }
}
