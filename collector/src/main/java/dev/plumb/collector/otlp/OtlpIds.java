package dev.plumb.collector.otlp;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/** Trace and span ids: OTLP carries bytes, the store and the API carry lower-case hex. */
final class OtlpIds {
    static final int TRACE_ID_BYTES = 16;
    static final int SPAN_ID_BYTES = 8;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OtlpIds() {
    }

    static String hex(ByteString id) {
        return hex(id.toByteArray(), 0, id.size());
    }

    /** The {@code length} bytes of {@code bytes} from {@code from} in lower-case hex. */
    static String hex(byte[] bytes, int from, int length) {
        byte[] out = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[from + i] & 0xff;
            out[2 * i] = (byte) HEX[b >>> 4];
            out[2 * i + 1] = (byte) HEX[b & 0x0f];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Bytes of a hex id, or null when the text is not an even run of hex digits. */
    static byte[] parseHex(String hex) {
        if (hex.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Whether the id stands for "no id": empty, or all zeros as OTLP reserves. */
    static boolean absent(ByteString id) {
        for (int i = 0; i < id.size(); i++) {
            if (id.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@link #absent(ByteString)} of the {@code length} bytes of {@code bytes} from {@code from}. */
    static boolean absent(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The hex id, or "" when the id is absent. */
    static String optionalHex(ByteString id) {
        return absent(id) ? "" : hex(id);
    }

    /** Why an id is unusable, or null when it is fine; {@code optional} ids may be absent. */
    static String problem(String field, ByteString id, int bytes, boolean optional) {
        return problem(field, absent(id), id.size(), bytes, optional);
    }

    /** {@link #problem(String, ByteString, int, boolean)} of an id known by whether it is absent and its size. */
    static String problem(String field, boolean absent, int size, int bytes, boolean optional) {
        if (absent) {
            return optional ? null : field + " is missing (empty or all zeros)";
        }
        if (size != bytes) {
            return field + " must be " + bytes + " bytes (" + 2 * bytes + " hex digits), got " + size + " bytes";
        }
        return null;
    }
}
