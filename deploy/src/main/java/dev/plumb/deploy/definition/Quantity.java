package dev.plumb.deploy.definition;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource amount in Kubernetes quantity syntax ({@code 500m}, {@code 1.5}, {@code 512Mi},
 * {@code 1Gi}, {@code 128M}), kept as written for the rendered objects and as a number of base
 * units (cores or bytes) for arithmetic.
 */
public record Quantity(String text, BigDecimal value) {

    private static final Pattern SYNTAX = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)");
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
        if (!m.matches() || !SUFFIXES.containsKey(m.group(3))) {
            throw new IllegalArgumentException("'" + text + "' is not a Kubernetes quantity (such as 500m, 1.5, 512Mi, 1Gi)");
        }
        BigDecimal number = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
        if (m.group(2) != null) {
            number = number.scaleByPowerOfTen(Integer.parseInt(m.group(2)));
        }
        return new Quantity(t, number.multiply(SUFFIXES.get(m.group(3))).stripTrailingZeros());
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
