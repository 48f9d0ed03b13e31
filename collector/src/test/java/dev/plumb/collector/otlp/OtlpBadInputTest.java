package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, oversized and mislabelled OTLP gets its status code and a reason, and the
 * collector keeps answering with every record it had accepted.
 */
class OtlpBadInputTest {
    static final int MAX_BYTES = 64 * 1024;
    static final String GOOD_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACES = "opentelemetry.proto.collector.trace.v1.TraceService";

    @TempDir
    static Path data;
    static Collector collector;
    static ApiClient otlp;
    static ApiClient api;

    @BeforeAll
    static void start() {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                .withMaxRequestBytes(MAX_BYTES));
        otlp = new ApiClient(collector.otlpHttpPort());
        api = new ApiClient(collector.httpPort());
        byte[] good = OtlpRequests.traces("orders", OtlpRequests.span(GOOD_TRACE, "00f067aa0ba902b7", "GET /orders", 12))
                .toByteArray();
        assertThat(otlp.post("/v1/traces", "application/x-protobuf", null, good).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    /** After every bad request: the server answers and the accepted trace is intact. */
    @AfterEach
    void acceptedDataIsIntact() {
        assertThat(api.get("/health").status()).isEqualTo(200);
        JsonNode trace = api.json("/api/v1/traces/" + GOOD_TRACE);
        assertThat(trace.get("spans").get(0).get("name").asText()).isEqualTo("GET /orders");
        assertThat(trace.get("spans").get(0).get("durationMs").asDouble()).isEqualTo(12.0);
    }

    @Test
    void randomBytesAreABadRequestWithAStatusMessage() throws IOException {
        byte[] junk = new byte[512];
        new Random(42).nextBytes(junk);
        ApiClient.Answer a = otlp.post("/v1/traces", "application/x-protobuf", null, junk);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(statusMessage(a.body())).startsWith("body is not an OTLP traces request in protobuf");
    }

    @Test
    void truncatedProtobufIsABadRequest() {
        byte[] whole = OtlpRequests.traces("orders", OtlpRequests.span("11112222333344445555666677778888",
                "1111222233334444", "cut", 5)).toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 7);
        assertThat(otlp.post("/v1/traces", "application/x-protobuf", null, cut).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/traces/11112222333344445555666677778888").status()).isEqualTo(404);
    }

    @Test
    void wrongTypedJsonIsABadRequestNamingTheProblem() {
        ApiClient.Answer notArray = otlp.post("/v1/traces", "application/json", null,
                "{\"resourceSpans\": \"oops\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(notArray.status()).isEqualTo(400);
        assertThat(notArray.json().get("code").asInt()).isEqualTo(3);
        assertThat(notArray.json().get("message").asText()).startsWith("body is not an OTLP traces request");

        ApiClient.Answer badNumber = otlp.post("/v1/logs", "application/json; charset=utf-8", null,
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"yesterday\"}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(badNumber.status()).isEqualTo(400);

        ApiClient.Answer truncated = otlp.post("/v1/metrics", "application/json", null,
                "{\"resourceMetrics\":[{\"scopeMetrics\":[".getBytes(StandardCharsets.UTF_8));
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.json().get("message").asText()).startsWith("body is not valid JSON");

        ApiClient.Answer array = otlp.post("/v1/traces", "application/json", null, "[1,2]".getBytes(StandardCharsets.UTF_8));
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().get("message").asText()).contains("{\"resourceSpans\": [...]}");
    }

    @Test
    void gzipOfGarbageIsABadRequest() throws IOException {
        byte[] notGzip = "definitely not gzip".getBytes(StandardCharsets.UTF_8);
        ApiClient.Answer a = otlp.post("/v1/traces", "application/x-protobuf", "gzip", notGzip);
        assertThat(a.status()).isEqualTo(400);
        assertThat(statusMessage(a.body())).startsWith("body is not valid gzip");

        byte[] junk = new byte[300];
        new Random(7).nextBytes(junk);
        assertThat(otlp.post("/v1/traces", "application/x-protobuf", "gzip", gzip(junk)).status()).isEqualTo(400);
    }

    @Test
    void unknownContentTypeOrEncodingIsUnsupportedMediaType() {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        ApiClient.Answer text = otlp.post("/v1/traces", "text/plain", null, body);
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().get("message").asText()).contains("application/x-protobuf or application/json");
        assertThat(otlp.post("/v1/traces", null, null, body).status()).isEqualTo(415);
        assertThat(otlp.post("/v1/traces", "application/x-protobuf", "br", body).status()).isEqualTo(415);
    }

    @Test
    void oversizedBodiesAreRefusedWith413() throws IOException {
        byte[] big = new byte[MAX_BYTES + 1];
        ApiClient.Answer a = otlp.post("/v1/traces", "application/x-protobuf", null, big);
        assertThat(a.status()).isEqualTo(413);
        assertThat(statusMessage(a.body())).contains("exceeds " + MAX_BYTES + " bytes");

        // a small gzip body that inflates past the limit is refused too
        byte[] bomb = gzip(new byte[4 * MAX_BYTES]);
        assertThat(bomb.length).isLessThan(MAX_BYTES);
        assertThat(otlp.post("/v1/traces", "application/x-protobuf", "gzip", bomb).status()).isEqualTo(413);
    }

    @Test
    void wrongMethodAndUnknownPathAreRefused() {
        ApiClient.Answer get = otlp.get("/v1/traces");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(otlp.post("/v1/profiles", "application/x-protobuf", null, new byte[0]).status()).isEqualTo(404);
    }

    @Test
    void invalidSpansAreRefusedByPartialSuccessAndTheRestStored() {
        String body = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},
                  "scopeSpans":[{"spans":[
                    {"traceId":"AAAA0000BBBB1111CCCC2222DDDD3333","spanId":"0102030405060708","name":"kept",
                     "kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":%d},
                    {"traceId":"abcd","spanId":"0102030405060709","name":"short id",
                     "startTimeUnixNano":"%d","endTimeUnixNano":"%d"}]}]}]}
                """.formatted(OtlpRequests.nanosAgo(30), OtlpRequests.nanosAgo(30) + 3_000_000L,
                OtlpRequests.nanosAgo(30), OtlpRequests.nanosAgo(29));
        ApiClient.Answer a = otlp.post("/v1/traces", "application/json", null, body.getBytes(StandardCharsets.UTF_8));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        JsonNode partial = a.json().get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asLong()).isEqualTo(1);
        assertThat(partial.get("errorMessage").asText())
                .isEqualTo("span 'short id': trace_id must be 16 bytes (32 hex digits), got 2 bytes");
        JsonNode kept = api.json("/api/v1/traces/aaaa0000bbbb1111cccc2222dddd3333").get("spans").get(0);
        assertThat(kept.get("name").asText()).isEqualTo("kept");
        assertThat(kept.get("kind").asText()).isEqualTo("SERVER");
        assertThat(kept.get("spanId").asText()).isEqualTo("0102030405060708");
        assertThat(api.get("/metrics").text())
                .contains("plumb_otlp_refused_records_total{reason=\"invalid\",signal=\"traces\"} 1.0");
    }

    @Test
    void grpcGarbageIsInvalidArgument() throws Exception {
        byte[] junk = new byte[256];
        new Random(3).nextBytes(junk);
        RawGrpcCall.Outcome outcome = RawGrpcCall.export(collector.otlpGrpcPort(), TRACES, junk);
        assertThat(outcome.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT.code);
        assertThat(outcome.message()).startsWith("body is not an OTLP traces request in protobuf");

        byte[] good = OtlpRequests.traces("orders", OtlpRequests.span("99990000999900009999000099990000",
                "9999000099990000", "over grpc", 7)).toByteArray();
        assertThat(RawGrpcCall.export(collector.otlpGrpcPort(), TRACES, good).status()).isEqualTo(0);
        assertThat(api.json("/api/v1/traces/99990000999900009999000099990000").get("spans").get(0)
                .get("name").asText()).isEqualTo("over grpc");
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    /** The message field of a protobuf google.rpc.Status. */
    static String statusMessage(byte[] status) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(status);
        String message = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag >>> 3 == 2) {
                message = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return message;
    }
}
