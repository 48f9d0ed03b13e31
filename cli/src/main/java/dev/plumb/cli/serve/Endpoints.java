package dev.plumb.cli.serve;

import dev.plumb.collector.Collector;

/**
 * The URLs of a running collector as a user on this machine reaches them.
 *
 * @param host a name or address to put in URLs: {@code localhost} when the collector binds every interface
 */
public record Endpoints(String host, int httpPort, int otlpGrpcPort, int otlpHttpPort) {

    public static Endpoints of(String boundHost, Collector collector) {
        boolean wildcard = boundHost.equals("0.0.0.0") || boundHost.equals("::") || boundHost.equals("[::]");
        String host = wildcard ? "localhost" : boundHost.contains(":") && !boundHost.startsWith("[") ? "[" + boundHost + "]" : boundHost;
        return new Endpoints(host, collector.httpPort(), collector.otlpGrpcPort(), collector.otlpHttpPort());
    }

    public String dashboards() {
        return "http://" + host + ":" + httpPort + "/";
    }

    public String services() {
        return "http://" + host + ":" + httpPort + "/api/v1/services";
    }

    public String otlpGrpc() {
        return "http://" + host + ":" + otlpGrpcPort;
    }

    public String otlpHttp() {
        return "http://" + host + ":" + otlpHttpPort;
    }

    /** The lines {@code serve} and {@code demo} print once the collector listens. */
    public String describe() {
        return String.join(System.lineSeparator(),
                "  dashboards  " + dashboards(),
                "  API         " + services() + "  (all calls: /api/v1/openapi.json)",
                "  OTLP gRPC   " + otlpGrpc(),
                "  OTLP HTTP   " + otlpHttp() + "  (/v1/traces, /v1/metrics, /v1/logs)");
    }
}
