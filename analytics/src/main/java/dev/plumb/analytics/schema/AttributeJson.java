package dev.plumb.analytics.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How attribute maps are stored: a flat JSON object whose values are strings, integers
 * (as {@code Long}), doubles, booleans or lists of these. Hand-written because analytics must
 * not depend on Jackson, and the shape is small and fully under our control. Keys are written
 * sorted so equal maps give equal text.
 */
public final class AttributeJson {
    private AttributeJson() {
    }

    /** The JSON text of {@code attributes}; non-finite doubles and unknown types become strings. */
    public static String encode(Map<String, ?> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder(32 * attributes.size());
        out.append('{');
        if (attributes.size() == 1) {
            Map.Entry<String, ?> e = attributes.entrySet().iterator().next();
            writeString(out, e.getKey());
            out.append(':');
            writeValue(out, e.getValue());
            return out.append('}').toString();
        }
        String[] keys = attributes.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(out, keys[i]);
            out.append(':');
            writeValue(out, attributes.get(keys[i]));
        }
        return out.append('}').toString();
    }

    /**
     * The JSON pointer that {@code json_extract_string} needs to reach a top-level key; keys
     * contain dots ({@code http.status_code}) which a {@code $.path} would split.
     */
    public static String pointer(String key) {
        return "/" + key.replace("~", "~0").replace("/", "~1");
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            out.append(n.doubleValue());
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeValue(out, list.get(i));
            }
            out.append(']');
        } else {
            writeString(out, String.valueOf(value));
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        if (plain(s)) {
            out.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether nothing in {@code s} needs escaping, which is nearly always so. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The map that {@link #encode} wrote (key order kept); {@code null} or blank gives an empty map. */
    public static Map<String, Object> decode(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Reader reader = new Reader(json);
        Object value = reader.value();
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("stored attributes are not a JSON object: " + json);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return Collections.unmodifiableMap(map);
    }

    /** A recursive-descent reader for the JSON that {@link #encode} and DuckDB produce. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skipSpace();
            if (peek() == '}') {
                i++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skipSpace();
            if (peek() == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            }
            throw error("unterminated string");
        }

        private Object number() {
            int start = i;
            boolean integral = true;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                if (".eE".indexOf(s.charAt(i)) >= 0) {
                    integral = false;
                }
                i++;
            }
            String text = s.substring(start, i);
            if (text.isEmpty()) {
                throw error("unexpected character");
            }
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooBig) {
                    return Double.parseDouble(text);
                }
            }
            return Double.parseDouble(text);
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw error("unexpected character");
            }
            i += word.length();
            return value;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed stored attributes (" + what + " at " + i + "): " + s);
        }
    }
}
