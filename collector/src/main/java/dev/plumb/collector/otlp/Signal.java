package dev.plumb.collector.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The three OTLP signals, each with its HTTP path, gRPC service, request parser and response
 * (with partial success when records were refused).
 */
enum Signal {
    TRACES("traces", "/v1/traces", "opentelemetry.proto.collector.trace.v1", "TraceService") {
        @Override
        Message parse(byte[] body) throws InvalidProtocolBufferException {
            return ExportTraceServiceRequest.parseFrom(body);
        }

        @Override
        Message.Builder newRequest() {
            return ExportTraceServiceRequest.newBuilder();
        }

        @Override
        Decoded decode(Message request, long receivedNanos) {
            return SpanDecoder.decode((ExportTraceServiceRequest) request);
        }

        @Override
        Decoded decodeProtobuf(byte[] body, long receivedNanos) throws InvalidProtocolBufferException {
            return OtlpTraceProto.decode(body);
        }

        @Override
        Message response(long rejected, String message) {
            ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
            if (rejected > 0) {
                b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(rejected).setErrorMessage(message));
            }
            return b.build();
        }
    },
    METRICS("metrics", "/v1/metrics", "opentelemetry.proto.collector.metrics.v1", "MetricsService") {
        @Override
        Message parse(byte[] body) throws InvalidProtocolBufferException {
            return ExportMetricsServiceRequest.parseFrom(body);
        }

        @Override
        Message.Builder newRequest() {
            return ExportMetricsServiceRequest.newBuilder();
        }

        @Override
        Decoded decode(Message request, long receivedNanos) {
            return MetricDecoder.decode((ExportMetricsServiceRequest) request);
        }

        @Override
        Message response(long rejected, String message) {
            ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
            if (rejected > 0) {
                b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                        .setRejectedDataPoints(rejected).setErrorMessage(message));
            }
            return b.build();
        }
    },
    LOGS("logs", "/v1/logs", "opentelemetry.proto.collector.logs.v1", "LogsService") {
        @Override
        Message parse(byte[] body) throws InvalidProtocolBufferException {
            return ExportLogsServiceRequest.parseFrom(body);
        }

        @Override
        Message.Builder newRequest() {
            return ExportLogsServiceRequest.newBuilder();
        }

        @Override
        Decoded decode(Message request, long receivedNanos) {
            return LogDecoder.decode((ExportLogsServiceRequest) request, receivedNanos);
        }

        @Override
        Message response(long rejected, String message) {
            ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
            if (rejected > 0) {
                b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(rejected).setErrorMessage(message));
            }
            return b.build();
        }
    };

    private final String label;
    private final String path;
    private final String grpcPackage;
    private final String grpcService;

    Signal(String label, String path, String grpcPackage, String grpcService) {
        this.label = label;
        this.path = path;
        this.grpcPackage = grpcPackage;
        this.grpcService = grpcService;
    }

    /** The {@code signal} label of the collector's own metrics. */
    String label() {
        return label;
    }

    String path() {
        return path;
    }

    String grpcPackage() {
        return grpcPackage;
    }

    String grpcService() {
        return grpcService;
    }

    abstract Message parse(byte[] body) throws InvalidProtocolBufferException;

    abstract Message.Builder newRequest();

    abstract Decoded decode(Message request, long receivedNanos);

    /** Decodes a request in protobuf: {@link #parse} then {@link #decode}, unless the signal has a faster way. */
    Decoded decodeProtobuf(byte[] body, long receivedNanos) throws InvalidProtocolBufferException {
        return decode(parse(body), receivedNanos);
    }

    abstract Message response(long rejected, String message);
}
