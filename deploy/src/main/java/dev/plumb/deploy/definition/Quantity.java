package dev.plumb.deploy.definition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource amount in Kubernetes quantity syntax ({@code 500m}, {@code 1.5}, {@code 512Mi},
 * {@code 1Gi}, {@code 128M}, {@code 1e3}), kept as written for the rendered objects and as a number
 * of base units (cores or bytes) for arithmetic.
 */
public record Quantity(String text, BigDecimal value) {

    /**
     * Kubernetes' grammar (resource.Quantity): a signed decimal number, then either a decimal
     * exponent ({@code e3}) or one SI or binary suffix, never both ({@code 1e3Mi} is not a quantity).
     */
    private static final String NUMBER = "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))";
    private static final String UNIT = "(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)";
    private static final Pattern SYNTAX = Pattern.compile(NUMBER + "(?:[eE]([+-]?[0-9]+)|" + UNIT + ")?");
    private static final Pattern EXPONENT_AND_UNIT = Pattern.compile(NUMBER + "([eE][+-]?[0-9]+)" + UNIT);
    /** Kubernetes quantities go no higher than this many base units. */
    private static final BigDecimal LARGEST = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigInteger LARGEST_EXPONENT = BigInteger.valueOf(1000);
    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("m", new BigDecimal("0.001")),
            Map.entry("k", BigDecimal.TEN.pow(3)),
            Map.entry("M", BigDecimal.TEN.pow(6)),
            Map.entry("G", BigDecimal.TEN.pow(9)),
            Map.entry("T", BigDecimal.TEN.pow(12)),
            Map.entry("P", BigDecimal.TEN.pow(15)),
            Map.entry("E", BigDecimal.TEN.pow(18)),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", GIB),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    public Quantity {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Parses a quantity; a mistake is an IllegalArgumentException whose message says what is
     * accepted.
     */
    public static Quantity parse(String text) {
        String t = text.strip();
        Matcher m = SYNTAX.matcher(t);
        if (!m.matches()) {
            Matcher both = EXPONENT_AND_UNIT.matcher(t);
            throw new IllegalArgumentException("'" + text + "' is not a Kubernetes quantity " + (both.matches()
                    ? "(a number takes an exponent, " + both.group(2) + ", or a unit, " + both.group(3) + ", not both)"
                    : "(such as 500m, 1.5, 512Mi, 1Gi)"));
        }
        BigDecimal number = new BigDecimal(m.group(1));
        if (m.group(2) != null) {
            // Bounded before scaling, so that 1e999999999 is refused instead of computed.
            BigInteger exponent = new BigInteger(m.group(2));
            if (exponent.abs().compareTo(LARGEST_EXPONENT) > 0) {
                throw outOfRange(text);
            }
            number = number.scaleByPowerOfTen(exponent.intValue());
        }
        BigDecimal value = number.multiply(SUFFIXES.get(m.group(3) == null ? "" : m.group(3))).stripTrailingZeros();
        if (value.abs().compareTo(LARGEST) > 0) {
            throw outOfRange(text);
        }
        return new Quantity(t, value);
    }

    private static IllegalArgumentException outOfRange(String text) {
        return new IllegalArgumentException("'" + text + "' is out of the range of a Kubernetes quantity (at most 2^63-1)");
    }

    /** The amount in GiB (for memory and storage). */
    public BigDecimal gib() {
        return value.divide(GIB, MathContext.DECIMAL64).stripTrailingZeros();
    }

    /** Whether this amount is larger than {@code other}'s. */
    public boolean exceeds(Quantity other) {
        return value.compareTo(other.value) > 0;
    }
}
