package dev.plumb.agent.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace and span ids as longs: a trace id is two, a span id one. They come from the calling
 * thread's own {@link ThreadLocalRandom} (no shared state, no allocation) and become the W3C hex
 * strings only when something reads them as text: the export, or the MDC.
 */
public final class SpanIds {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private SpanIds() {
    }

    /** A random id that is never 0, the value W3C reserves for "no id". */
    public static long random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    /** The 16 lower-case hex digits of a span id. */
    public static String hex(long id) {
        char[] chars = new char[16];
        write(id, chars, 0);
        return new String(chars);
    }

    /** The 32 lower-case hex digits of a trace id, high half first. */
    public static String hex(long high, long low) {
        char[] chars = new char[32];
        write(high, chars, 0);
        write(low, chars, 16);
        return new String(chars);
    }

    /**
     * The long written as 16 hex digits at {@code offset} of {@code text}.
     *
     * @throws IllegalArgumentException when a character there is not a hex digit
     */
    public static long parse(CharSequence text, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 16; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not a hex id: " + text);
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static void write(long value, char[] chars, int offset) {
        for (int i = 15; i >= 0; i--) {
            chars[offset + i] = DIGITS[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
