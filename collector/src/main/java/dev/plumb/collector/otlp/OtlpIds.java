package dev.plumb.collector.otlp;

import com.google.protobuf.ByteString;

/** Trace and span ids: OTLP carries bytes, the store and the API carry lower-case hex. */
final class OtlpIds {
    static final int TRACE_ID_BYTES = 16;
    static final int SPAN_ID_BYTES = 8;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OtlpIds() {
    }

    static String hex(ByteString id) {
        char[] out = new char[id.size() * 2];
        for (int i = 0; i < id.size(); i++) {
            int b = id.byteAt(i) & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0x0f];
        }
        return new String(out);
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

    /** The hex id, or "" when the id is absent. */
    static String optionalHex(ByteString id) {
        return absent(id) ? "" : hex(id);
    }

    /** Why an id is unusable, or null when it is fine; {@code optional} ids may be absent. */
    static String problem(String field, ByteString id, int bytes, boolean optional) {
        if (absent(id)) {
            return optional ? null : field + " is missing (empty or all zeros)";
        }
        if (id.size() != bytes) {
            return field + " must be " + bytes + " bytes (" + 2 * bytes + " hex digits), got " + id.size() + " bytes";
        }
        return null;
    }
}
