package dev.plumb.analytics.cost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Prices as data: the default unit prices with their {@code history}, overrides per namespace, node
 * pool or pod label, the currency, and the namespace-to-team mapping used for attribution.
 * Loaded from the YAML pricing file ({@code plumb serve --pricing FILE}); without one,
 * {@link #defaults()} gives OpenCost's on-premises prices in USD.
 *
 * <p>The file, complete (every key is optional):
 * <pre>{@code
 * currency: USD
 * monthHours: 730              # hours in the month that storageGiBMonth is quoted for
 * prices:                      # default prices; each entry holds from its date until the next
 *   - from: 2024-01-01         # optional on the first entry (then: since ever)
 *     cpuCoreHour: 0.031611
 *     memoryGiBHour: 0.004237
 *     storageGiBMonth: 0.04
 *     egressRegionGiB: 0.01    # egress within the region
 *     egressInternetGiB: 0.12  # egress to the internet
 *   - from: 2026-03-01T00:00:00Z
 *     cpuCoreHour: 0.04        # a price left out keeps its previous value
 * overrides:                   # most specific wins: label, then nodePool, then namespace;
 *   - namespace: batch         # among equals, the one listed first
 *     prices:
 *       - cpuCoreHour: 0.02    # a price the override never sets follows the defaults
 *   - nodePool: spot
 *     prices:
 *       - from: 2026-01-01
 *         cpuCoreHour: 0.01
 *   - label: tier=premium      # a pod label key=value
 *     prices:
 *       - memoryGiBHour: 0.006
 * teams:                       # team of a namespace whose usage carries no team attribute
 *   shop: commerce
 * }</pre>
 * A price change takes effect at a whole hour (a date means its midnight UTC): an hour of
 * usage is priced at the prices in force when the hour starts, so old periods keep old prices.
 */
public record Pricing(String currency, double monthHours, List<PriceChange> history,
                      List<PriceOverride> overrides, Map<String, String> teams) {

    /** Where a history with no date on its first entry starts. */
    static final Instant SINCE_EVER = Instant.parse("1970-01-01T00:00:00Z");
    /** Where the last entry of a history ends. */
    static final Instant UNTIL_EVER = Instant.parse("9999-01-01T00:00:00Z");

    /** A dated change of some prices; {@code changed} maps keys of {@link Prices#KEYS} to new values. */
    public record PriceChange(Instant from, Map<String, Double> changed) {
        public PriceChange {
            Objects.requireNonNull(from, "from");
            changed = Map.copyOf(changed);
        }
    }

    /** What an override applies to. */
    public enum Scope {
        NAMESPACE("namespace"), NODE_POOL("node_pool"), LABEL("label");

        private final String column;

        Scope(String column) {
            this.column = column;
        }

        /** The name stored in the price table. */
        public String column() {
            return column;
        }
    }

    /** Prices for the pods of one namespace, node pool or label ({@code labelKey} only for labels). */
    public record PriceOverride(Scope scope, String labelKey, String value, List<PriceChange> changes) {
        public PriceOverride {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(value, "value");
            changes = List.copyOf(changes);
        }
    }

    /**
     * The complete prices for one scope over {@code [from, to)}: the flattened form that the
     * cost SQL joins against. Priority orders matches: the highest matching one applies.
     */
    public record PricePeriod(String scope, String labelKey, String value, int priority, Instant from, Instant to,
                              Prices prices) {
    }

    public Pricing {
        Objects.requireNonNull(currency, "currency");
        if (!(monthHours > 0)) {
            throw new IllegalArgumentException("monthHours must be > 0, got " + monthHours);
        }
        history = List.copyOf(history);
        overrides = List.copyOf(overrides);
        teams = Map.copyOf(teams);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("the default price history is empty");
        }
    }

    /** OpenCost's on-premises defaults, in USD, with a 730-hour month and no overrides. */
    public static Pricing defaults() {
        return new Pricing("USD", 730, List.of(new PriceChange(SINCE_EVER, allOf(Prices.OPENCOST_ON_PREMISES))),
                List.of(), Map.of());
    }

    /** Reads a pricing file; a mistake is an IllegalArgumentException naming the file, the entry and the fix. */
    public static Pricing load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pricing file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses pricing YAML; {@code origin} names the source in error messages. */
    public static Pricing parse(String yaml, String origin) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(origin).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("pricing file " + origin + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return defaults();
        }
        Map<String, Object> top = map(root, origin, "the top level");
        requireKnownKeys(top, origin, "the top level", "currency", "monthHours", "prices", "overrides", "teams");
        String currency = top.containsKey("currency") ? text(top.get("currency"), origin, "currency") : "USD";
        double monthHours = top.containsKey("monthHours") ? number(top.get("monthHours"), origin, "monthHours") : 730;
        List<PriceChange> defaults = new ArrayList<>();
        defaults.add(new PriceChange(SINCE_EVER, allOf(Prices.OPENCOST_ON_PREMISES)));
        if (top.containsKey("prices")) {
            List<PriceChange> history = history(top.get("prices"), origin, "prices");
            if (!history.isEmpty() && history.get(0).from().equals(SINCE_EVER)) {
                defaults.set(0, new PriceChange(SINCE_EVER, merge(allOf(Prices.OPENCOST_ON_PREMISES),
                        history.remove(0).changed())));
            }
            defaults.addAll(history);
        }
        List<PriceOverride> overrides = new ArrayList<>();
        if (top.containsKey("overrides")) {
            List<?> items = list(top.get("overrides"), origin, "overrides");
            for (int i = 0; i < items.size(); i++) {
                overrides.add(override(items.get(i), origin, "overrides[" + i + "]"));
            }
        }
        Map<String, String> teams = new LinkedHashMap<>();
        if (top.containsKey("teams")) {
            map(top.get("teams"), origin, "teams").forEach((ns, team) -> teams.put(ns, text(team, origin, "teams." + ns)));
        }
        return new Pricing(currency, monthHours, defaults, overrides, teams);
    }

    /** The default prices in force at {@code when}. */
    public Prices at(Instant when) {
        return resolve(history, when);
    }

    /** The team of a namespace: the mapping's answer, else the namespace itself. */
    public String teamOf(String namespace) {
        return teams.getOrDefault(namespace, namespace);
    }

    /**
     * Every scope's prices as complete, non-overlapping periods. An override's periods start at
     * its first change and are cut wherever it or the defaults change, so that a price the
     * override leaves out follows the default history.
     */
    public List<PricePeriod> periods() {
        List<PricePeriod> out = new ArrayList<>();
        cut(history, List.of(), "default", null, "", 0, out);
        for (int i = 0; i < overrides.size(); i++) {
            PriceOverride o = overrides.get(i);
            int rank = switch (o.scope()) {
                case LABEL -> 3000;
                case NODE_POOL -> 2000;
                case NAMESPACE -> 1000;
            };
            cut(history, o.changes(), o.scope().column(), o.labelKey(), o.value(), rank - i, out);
        }
        return out;
    }

    private void cut(List<PriceChange> base, List<PriceChange> own, String scope, String labelKey, String value,
                     int priority, List<PricePeriod> out) {
        Instant start = own.isEmpty() ? SINCE_EVER : own.get(0).from();
        TreeSet<Instant> bounds = new TreeSet<>();
        bounds.add(start);
        base.forEach(c -> bounds.add(c.from()));
        own.forEach(c -> bounds.add(c.from()));
        bounds.add(UNTIL_EVER);
        Instant[] edges = bounds.tailSet(start, true).toArray(Instant[]::new);
        for (int i = 0; i + 1 < edges.length; i++) {
            Prices prices = resolve(base, edges[i]);
            Map<String, Double> changed = new LinkedHashMap<>();
            for (PriceChange c : own) {
                if (!c.from().isAfter(edges[i])) {
                    changed.putAll(c.changed());
                }
            }
            out.add(new PricePeriod(scope, labelKey, value, priority, edges[i], edges[i + 1], prices.with(changed)));
        }
    }

    private static Prices resolve(List<PriceChange> history, Instant when) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (PriceChange c : history) {
            if (!c.from().isAfter(when)) {
                values.putAll(c.changed());
            }
        }
        return Prices.OPENCOST_ON_PREMISES.with(values);
    }

    private static Map<String, Double> allOf(Prices p) {
        double[] v = {p.cpuCoreHour(), p.memoryGiBHour(), p.storageGiBMonth(), p.egressRegionGiB(), p.egressInternetGiB()};
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(Prices.KEYS[i], v[i]);
        }
        return m;
    }

    private static Map<String, Double> merge(Map<String, Double> base, Map<String, Double> changed) {
        Map<String, Double> m = new LinkedHashMap<>(base);
        m.putAll(changed);
        return m;
    }

    private static PriceOverride override(Object item, String origin, String where) {
        Map<String, Object> m = map(item, origin, where);
        requireKnownKeys(m, origin, where, "namespace", "nodePool", "label", "prices");
        List<String> scopes = Arrays.stream(new String[] {"namespace", "nodePool", "label"}).filter(m::containsKey).toList();
        if (scopes.size() != 1) {
            throw new IllegalArgumentException("pricing file " + origin + ": " + where
                    + " must name exactly one of namespace, nodePool or label (for example 'namespace: batch')");
        }
        if (!m.containsKey("prices")) {
            throw new IllegalArgumentException("pricing file " + origin + ": " + where
                    + " has no prices; add 'prices:' with at least one entry such as '- cpuCoreHour: 0.02'");
        }
        List<PriceChange> changes = history(m.get("prices"), origin, where + ".prices");
        String scopeKey = scopes.get(0);
        String value = text(m.get(scopeKey), origin, where + "." + scopeKey);
        return switch (scopeKey) {
            case "namespace" -> new PriceOverride(Scope.NAMESPACE, null, value, changes);
            case "nodePool" -> new PriceOverride(Scope.NODE_POOL, null, value, changes);
            default -> {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("pricing file " + origin + ": " + where
                            + ".label must be key=value (for example 'label: tier=premium'), got '" + value + "'");
                }
                yield new PriceOverride(Scope.LABEL, value.substring(0, eq).trim(), value.substring(eq + 1).trim(), changes);
            }
        };
    }

    private static List<PriceChange> history(Object node, String origin, String where) {
        List<?> items = list(node, origin, where);
        List<PriceChange> out = new ArrayList<>();
        Instant previous = null;
        for (int i = 0; i < items.size(); i++) {
            String at = where + "[" + i + "]";
            Map<String, Object> entry = map(items.get(i), origin, at);
            List<String> allowed = new ArrayList<>(List.of(Prices.KEYS));
            allowed.add("from");
            requireKnownKeys(entry, origin, at, allowed.toArray(String[]::new));
            Instant from;
            if (entry.containsKey("from")) {
                from = instant(entry.get("from"), origin, at + ".from");
            } else if (i == 0) {
                from = SINCE_EVER;
            } else {
                throw new IllegalArgumentException("pricing file " + origin + ": " + at
                        + " needs a 'from' date (only the first entry may leave it out)");
            }
            if (previous != null && !from.isAfter(previous)) {
                throw new IllegalArgumentException("pricing file " + origin + ": " + at + ".from (" + from
                        + ") must be later than the entry before it (" + previous + "); list changes oldest first");
            }
            previous = from;
            Map<String, Double> changed = new LinkedHashMap<>();
            for (String key : Prices.KEYS) {
                if (entry.containsKey(key)) {
                    double v = number(entry.get(key), origin, at + "." + key);
                    if (v < 0) {
                        throw new IllegalArgumentException("pricing file " + origin + ": " + at + "." + key
                                + " is negative (" + v + "); prices must be >= 0");
                    }
                    changed.put(key, v);
                }
            }
            out.add(new PriceChange(from, changed));
        }
        return out;
    }

    private static Instant instant(Object node, String origin, String where) {
        String s = String.valueOf(node).trim();
        Instant at;
        try {
            at = s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("pricing file " + origin + ": " + where + " is '" + s
                    + "'; write a date (2026-03-01) or an RFC 3339 time (2026-03-01T06:00:00Z)");
        }
        if (!at.truncatedTo(ChronoUnit.HOURS).equals(at)) {
            throw new IllegalArgumentException("pricing file " + origin + ": " + where + " is " + at
                    + "; prices change on whole hours (usage is priced per hour), for example "
                    + at.truncatedTo(ChronoUnit.HOURS));
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String origin, String where) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        throw new IllegalArgumentException("pricing file " + origin + ": " + where + " must be a mapping (key: value)");
    }

    private static List<?> list(Object node, String origin, String where) {
        if (node instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("pricing file " + origin + ": " + where + " must be a list (entries starting with '- ')");
    }

    private static double number(Object node, String origin, String where) {
        if (node instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("pricing file " + origin + ": " + where + " must be a number, got '" + node + "'");
    }

    private static String text(Object node, String origin, String where) {
        if (node == null || node instanceof Map || node instanceof List || String.valueOf(node).isBlank()) {
            throw new IllegalArgumentException("pricing file " + origin + ": " + where + " must be a non-empty text");
        }
        return String.valueOf(node);
    }

    private static void requireKnownKeys(Map<String, Object> m, String origin, String where, String... known) {
        List<String> allowed = List.of(known);
        for (String key : m.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("pricing file " + origin + ": unknown key '" + key + "' in " + where
                        + "; expected one of " + String.join(", ", allowed));
            }
        }
    }
}
