package dev.plumb.collector;

import dev.plumb.analytics.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The collector's whole configuration, in one place. Built from {@link #defaults()}, then
 * {@link #fromEnvironment(Map)} and command-line flags (the CLI applies the {@code with*} copies),
 * then checked by {@link #validate()} before anything binds a port.
 *
 * @param host             address every listener binds, default {@code 0.0.0.0}
 * @param otlpGrpcPort     OTLP/gRPC port, default 4317; 0 picks a free port
 * @param otlpHttpPort     OTLP/HTTP port, default 4318; 0 picks a free port
 * @param httpPort         API, dashboards and {@code /metrics}, default 4320; 0 picks a free port
 * @param dataDir          where the embedded DuckDB database lives
 * @param pricingFile      the pricing file of the cost model, or null for the built-in defaults
 * @param configFile       the optional configuration file (schedules, channels), or null
 * @param alertEvalInterval how often alert subscriptions are evaluated
 * @param maxRequestBytes  largest OTLP request accepted, compressed or not (413 beyond it)
 * @param storeOptions     queue and batching settings of the store
 */
public record PlumbConfig(
        String host,
        int otlpGrpcPort,
        int otlpHttpPort,
        int httpPort,
        Path dataDir,
        Path pricingFile,
        Path configFile,
        Duration alertEvalInterval,
        int maxRequestBytes,
        StoreOptions storeOptions) {

    public static final int DEFAULT_OTLP_GRPC_PORT = 4317;
    public static final int DEFAULT_OTLP_HTTP_PORT = 4318;
    public static final int DEFAULT_HTTP_PORT = 4320;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    public PlumbConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(alertEvalInterval, "alertEvalInterval");
        Objects.requireNonNull(storeOptions, "storeOptions");
    }

    /** The documented defaults: ports 4317/4318/4320 on every interface, data in {@code ./plumb-data}. */
    public static PlumbConfig defaults() {
        return new PlumbConfig("0.0.0.0", DEFAULT_OTLP_GRPC_PORT, DEFAULT_OTLP_HTTP_PORT, DEFAULT_HTTP_PORT,
                Path.of("plumb-data"), null, null, Duration.ofSeconds(15), DEFAULT_MAX_REQUEST_BYTES,
                StoreOptions.defaults());
    }

    /**
     * The defaults overridden by the {@code PLUMB_*} variables present in {@code env}. A value that
     * does not parse is an IllegalArgumentException naming the variable.
     */
    public static PlumbConfig fromEnvironment(Map<String, String> env) {
        PlumbConfig c = defaults();
        String host = env.get("PLUMB_HOST");
        if (host != null && !host.isBlank()) {
            c = c.withHost(host.trim());
        }
        if (env.get("PLUMB_OTLP_GRPC_PORT") != null) {
            c = c.withOtlpGrpcPort(port(env, "PLUMB_OTLP_GRPC_PORT"));
        }
        if (env.get("PLUMB_OTLP_HTTP_PORT") != null) {
            c = c.withOtlpHttpPort(port(env, "PLUMB_OTLP_HTTP_PORT"));
        }
        if (env.get("PLUMB_HTTP_PORT") != null) {
            c = c.withHttpPort(port(env, "PLUMB_HTTP_PORT"));
        }
        String dataDir = env.get("PLUMB_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            c = c.withDataDir(Path.of(dataDir.trim()));
        }
        String interval = env.get("PLUMB_ALERT_EVAL_INTERVAL");
        if (interval != null) {
            try {
                c = c.withAlertEvalInterval(DurationText.parse(interval));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PLUMB_ALERT_EVAL_INTERVAL: " + e.getMessage(), e);
            }
        }
        return c;
    }

    private static int port(Map<String, String> env, String name) {
        String raw = env.get(name).trim();
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number 0..65535, got '" + raw + "'");
        }
    }

    /**
     * Checks every setting and throws IllegalArgumentException naming the flag and variable to
     * change, so that a bad setting stops the start with one readable line.
     */
    public PlumbConfig validate() {
        checkPort("--otlp-grpc-port", "PLUMB_OTLP_GRPC_PORT", otlpGrpcPort);
        checkPort("--otlp-http-port", "PLUMB_OTLP_HTTP_PORT", otlpHttpPort);
        checkPort("--http-port", "PLUMB_HTTP_PORT", httpPort);
        checkDistinct("--otlp-grpc-port", otlpGrpcPort, "--otlp-http-port", otlpHttpPort);
        checkDistinct("--otlp-grpc-port", otlpGrpcPort, "--http-port", httpPort);
        checkDistinct("--otlp-http-port", otlpHttpPort, "--http-port", httpPort);
        if (host.isBlank()) {
            throw new IllegalArgumentException("PLUMB_HOST must name an address to bind, such as 0.0.0.0 or 127.0.0.1");
        }
        if (alertEvalInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("PLUMB_ALERT_EVAL_INTERVAL must be at least 1s, got "
                    + DurationText.format(alertEvalInterval));
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("the largest OTLP request must be at least 1024 bytes, got " + maxRequestBytes);
        }
        if (pricingFile != null && !pricingFile.toFile().isFile()) {
            throw new IllegalArgumentException("--pricing " + pricingFile + " is not a readable file;"
                    + " give the path of a pricing file or leave the flag out for the default prices");
        }
        if (configFile != null && !configFile.toFile().isFile()) {
            throw new IllegalArgumentException("--config " + configFile + " is not a readable file;"
                    + " give the path of a configuration file or leave the flag out");
        }
        return this;
    }

    private static void checkPort(String flag, String variable, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be 0..65535, got " + port
                    + " (set " + flag + " or " + variable + "; 0 picks a free port)");
        }
    }

    private static void checkDistinct(String flagA, int a, String flagB, int b) {
        if (a != 0 && a == b) {
            throw new IllegalArgumentException(flagA + " and " + flagB + " are both " + a + "; give each its own port");
        }
    }

    public PlumbConfig withHost(String value) {
        return new PlumbConfig(value, otlpGrpcPort, otlpHttpPort, httpPort, dataDir, pricingFile, configFile,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withOtlpGrpcPort(int value) {
        return new PlumbConfig(host, value, otlpHttpPort, httpPort, dataDir, pricingFile, configFile,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withOtlpHttpPort(int value) {
        return new PlumbConfig(host, otlpGrpcPort, value, httpPort, dataDir, pricingFile, configFile,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withHttpPort(int value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, value, dataDir, pricingFile, configFile,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withDataDir(Path value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, httpPort, value, pricingFile, configFile,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withPricingFile(Path value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, httpPort, dataDir, value, configFile,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withConfigFile(Path value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, httpPort, dataDir, pricingFile, value,
                alertEvalInterval, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withAlertEvalInterval(Duration value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, httpPort, dataDir, pricingFile, configFile,
                value, maxRequestBytes, storeOptions);
    }

    public PlumbConfig withMaxRequestBytes(int value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, httpPort, dataDir, pricingFile, configFile,
                alertEvalInterval, value, storeOptions);
    }

    public PlumbConfig withStoreOptions(StoreOptions value) {
        return new PlumbConfig(host, otlpGrpcPort, otlpHttpPort, httpPort, dataDir, pricingFile, configFile,
                alertEvalInterval, maxRequestBytes, value);
    }

    /** A copy that binds every listener to loopback on free ports: what tests and embedding want. */
    public PlumbConfig onLoopbackFreePorts() {
        return withHost("127.0.0.1").withOtlpGrpcPort(0).withOtlpHttpPort(0).withHttpPort(0);
    }
}
