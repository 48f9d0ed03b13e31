package dev.plumb.collector.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Inflates gzip request bodies with a ceiling, so that a small bomb cannot fill the heap. */
final class Gzip {
    private Gzip() {
    }

    static byte[] inflate(byte[] compressed, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(1024, compressed.length * 4)));
        byte[] chunk = new byte[16 * 1024];
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), chunk.length)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new RefusedRequestException(RefusedRequestException.Reason.TOO_LARGE,
                            "gzip body inflates beyond " + maxBytes + " bytes; send smaller batches");
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw RefusedRequestException.malformed("body is not valid gzip (Content-Encoding: gzip): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        return out.toByteArray();
    }
}
