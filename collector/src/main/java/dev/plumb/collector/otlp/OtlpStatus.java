package dev.plumb.collector.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code google.rpc.Status} body that OTLP/HTTP returns with a failure, written by hand
 * because the message is two fields and its generated class is not on our classpath.
 */
final class OtlpStatus {
    static final int INVALID_ARGUMENT = 3;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNAVAILABLE = 14;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OtlpStatus() {
    }

    static byte[] protobuf(int code, String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] json(int code, String message) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("code", code);
        status.put("message", message);
        try {
            return MAPPER.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
