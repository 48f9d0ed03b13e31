package dev.plumb.agent.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything the agent reads from its environment, resolved once at start-up.
 *
 * <p>Each setting is read from the system property first ({@code otel.service.name},
 * {@code plumb.prometheus.port}) and then from the environment variable of the same name in
 * upper case with underscores ({@code OTEL_SERVICE_NAME}, {@code PLUMB_PROMETHEUS_PORT}), the
 * convention the OpenTelemetry SDK uses, so users of either find the names they expect.
 *
 * @param serviceName        {@code service.name} of the resource
 * @param resourceAttributes further resource attributes ({@code OTEL_RESOURCE_ATTRIBUTES})
 * @param endpoint           OTLP base endpoint, without the {@code /v1/...} suffix
 * @param protocol           {@code http/protobuf}, the one protocol the agent exports with
 * @param headers            extra headers for every export ({@code OTEL_EXPORTER_OTLP_HEADERS})
 * @param exportTimeout      time allowed for one export request
 * @param sampler            sampler name as in {@code OTEL_TRACES_SAMPLER}
 * @param samplerArg         its argument ({@code OTEL_TRACES_SAMPLER_ARG}), may be null
 * @param spanDelay          batch span processor schedule delay
 * @param spanQueueSize      batch span processor queue bound
 * @param logDelay           batch log record processor schedule delay
 * @param logQueueSize       batch log record processor queue bound
 * @param metricInterval     periodic metric export interval
 * @param prometheusPort     port of the Prometheus endpoint, 0 for none
 * @param prometheusHost     address the Prometheus endpoint binds to
 * @param include            {@code PLUMB_MONITOR_INCLUDE} patterns, comma separated
 * @param exclude            {@code PLUMB_MONITOR_EXCLUDE} patterns, comma separated
 * @param maxSeriesPerMethod cap on histogram series per method before the overflow label
 * @param captureLogs        export the application's own log events as OTLP logs
 * @param httpClientPropagation add the current trace context to {@code java.net.http.HttpClient} requests
 * @param tracesEnabled      {@code OTEL_TRACES_EXPORTER} is not {@code none}
 * @param metricsEnabled     {@code OTEL_METRICS_EXPORTER} is not {@code none}
 * @param logsEnabled        {@code OTEL_LOGS_EXPORTER} is not {@code none}
 * @param debug              print instrumentation decisions to stderr
 */
public record AgentConfig(
        String serviceName,
        Map<String, String> resourceAttributes,
        String endpoint,
        String protocol,
        Map<String, String> headers,
        Duration exportTimeout,
        String sampler,
        String samplerArg,
        Duration spanDelay,
        int spanQueueSize,
        Duration logDelay,
        int logQueueSize,
        Duration metricInterval,
        int prometheusPort,
        String prometheusHost,
        String include,
        String exclude,
        int maxSeriesPerMethod,
        boolean captureLogs,
        boolean httpClientPropagation,
        boolean tracesEnabled,
        boolean metricsEnabled,
        boolean logsEnabled,
        boolean debug) {

    /** Reads the configuration of this JVM: system properties over environment variables. */
    public static AgentConfig fromEnvironment() {
        return from(System.getenv(), key -> System.getProperty(key.toLowerCase(Locale.ROOT).replace('_', '.')));
    }

    /**
     * Reads the configuration from the given environment and property look-up.
     *
     * @throws IllegalArgumentException naming the setting when a value cannot be used
     */
    public static AgentConfig from(Map<String, String> env, UnaryOperator<String> properties) {
        Settings s = new Settings(env, properties);
        Map<String, String> resource = s.keyValues("OTEL_RESOURCE_ATTRIBUTES");
        String service = s.get("OTEL_SERVICE_NAME", resource.getOrDefault("service.name", defaultServiceName()));
        String protocol = s.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        if (!protocol.equals("http/protobuf")) {
            throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol
                    + " is not supported by plumb-agent; use http/protobuf (the default) and the collector's"
                    + " OTLP/HTTP port, for example http://localhost:4318");
        }
        String endpoint = s.get("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318");
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint
                    + " must be an http:// or https:// URL, for example http://localhost:4318");
        }
        while (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        return new AgentConfig(
                service,
                resource,
                endpoint,
                protocol,
                s.keyValues("OTEL_EXPORTER_OTLP_HEADERS"),
                s.millis("OTEL_EXPORTER_OTLP_TIMEOUT", 10_000),
                s.get("OTEL_TRACES_SAMPLER", "parentbased_always_on").toLowerCase(Locale.ROOT),
                s.get("OTEL_TRACES_SAMPLER_ARG", null),
                s.millis("OTEL_BSP_SCHEDULE_DELAY", 5_000),
                s.integer("OTEL_BSP_MAX_QUEUE_SIZE", 2048, 1),
                s.millis("OTEL_BLRP_SCHEDULE_DELAY", 1_000),
                s.integer("OTEL_BLRP_MAX_QUEUE_SIZE", 2048, 1),
                s.millis("OTEL_METRIC_EXPORT_INTERVAL", 60_000),
                s.integer("PLUMB_PROMETHEUS_PORT", 9464, 0),
                s.get("PLUMB_PROMETHEUS_HOST", "0.0.0.0"),
                s.get("PLUMB_MONITOR_INCLUDE", ""),
                s.get("PLUMB_MONITOR_EXCLUDE", ""),
                s.integer("PLUMB_MAX_SERIES_PER_METHOD", 32, 3),
                s.bool("PLUMB_CAPTURE_LOGS", false),
                s.bool("PLUMB_HTTP_CLIENT_PROPAGATION", true),
                !s.get("OTEL_TRACES_EXPORTER", "otlp").equalsIgnoreCase("none"),
                !s.get("OTEL_METRICS_EXPORTER", "otlp").equalsIgnoreCase("none"),
                !s.get("OTEL_LOGS_EXPORTER", "otlp").equalsIgnoreCase("none"),
                s.bool("PLUMB_DEBUG", false));
    }

    private static String defaultServiceName() {
        String command = System.getProperty("sun.java.command", "");
        String main = command.split(" ", 2)[0];
        if (main.endsWith(".jar")) {
            main = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1, main.length() - 4);
        } else if (main.contains(".")) {
            main = main.substring(main.lastIndexOf('.') + 1);
        }
        return main.isEmpty() ? "unknown_service:java" : main;
    }

    /** Property-over-environment look-up with typed parsing and messages that name the setting. */
    private record Settings(Map<String, String> env, UnaryOperator<String> properties) {

        String get(String name, String fallback) {
            String value = properties.apply(name);
            if (value == null || value.isBlank()) {
                value = env.get(name);
            }
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int integer(String name, int fallback, int min) {
            String value = get(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + value + " must be a whole number >= " + min);
            }
        }

        Duration millis(String name, long fallback) {
            return Duration.ofMillis(integer(name, (int) fallback, 1));
        }

        boolean bool(String name, boolean fallback) {
            String value = get(name, null);
            if (value == null) {
                return fallback;
            }
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw new IllegalArgumentException(name + "=" + value + " must be true or false");
        }

        /** Parses {@code k1=v1,k2=v2}, the format of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS. */
        Map<String, String> keyValues(String name) {
            Map<String, String> result = new LinkedHashMap<>();
            String value = get(name, "");
            for (String pair : value.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(name + " entry '" + pair.trim()
                            + "' must be key=value, for example deployment.environment=prod");
                }
                result.put(decode(pair.substring(0, eq).trim()), decode(pair.substring(eq + 1).trim()));
            }
            return result;
        }

        private static String decode(String s) {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
