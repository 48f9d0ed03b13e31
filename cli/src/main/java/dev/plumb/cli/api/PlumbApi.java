package dev.plumb.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A client of a Plumb server's {@code /api/v1}, for the commands that ask a running server. */
public final class PlumbApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** @param server the server's base URL, such as {@code http://localhost:4320} */
    public PlumbApi(URI server) {
        this.server = server;
    }

    public URI server() {
        return server;
    }

    /**
     * GETs {@code /api/v1/<path>} with the given query parameters (null values left out).
     *
     * @throws ApiException       when the server answers 4xx/5xx, with its {@code error}, {@code field} and {@code hint}
     * @throws NoServerException  when nothing listens at the server URL
     */
    public JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException, ApiException {
        String params = query.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(server.toString().replaceAll("/+$", "") + "/api/v1/" + path + (params.isEmpty() ? "" : "?" + params));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new NoServerException(server);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw new ApiException(response.statusCode(),
                    text(body, "error", "the server answered " + response.statusCode()),
                    text(body, "field", null), text(body, "hint", null));
        }
        if (body == null) {
            throw new IOException(uri + " answered " + response.statusCode() + " without a JSON body");
        }
        return body;
    }

    /** How many services {@code GET /services} lists with at least one request in the last hour. */
    public int servicesWithRequests() throws IOException, InterruptedException, ApiException {
        int count = 0;
        for (JsonNode service : get("services", Map.of()).path("services")) {
            if (service.path("requests").asLong() > 0) {
                count++;
            }
        }
        return count;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Nothing listens at the server URL. */
    public static final class NoServerException extends IOException {
        public NoServerException(URI server) {
            super("no Plumb server at " + server + ": start one with ./plumb serve");
        }
    }

    /** The server refused the request or failed; its JSON error, field and hint as it sent them. */
    public static final class ApiException extends Exception {
        private final int status;
        private final String field;
        private final String hint;

        public ApiException(int status, String error, String field, String hint) {
            super(error);
            this.status = status;
            this.field = field;
            this.hint = hint;
        }

        public int status() {
            return status;
        }

        public String field() {
            return field;
        }

        public String hint() {
            return hint;
        }
    }
}
