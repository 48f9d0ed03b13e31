package dev.plumb.deploy.plan;

import dev.plumb.deploy.definition.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field-level difference between two objects. Each object is flattened to leaf paths; list
 * items that carry a unique {@code name} (containers, env, ports, volumes) are addressed by it so
 * that inserting one variable shows as one change, not a shift of every later index.
 */
public final class ObjectDiff {

    private static final Pattern QUANTITY_PATH = Pattern.compile("(^|\\.)(requests|limits)\\.[^.\\[]+$");

    private ObjectDiff() {
    }

    /**
     * The changed fields. {@code onlyDesiredFields} compares only the paths the desired object
     * sets (against a live API object, whose server-filled defaults and status are not ours);
     * otherwise fields only the current object has show as removed.
     */
    public static List<FieldChange> between(Map<String, Object> current, Map<String, Object> desired, boolean onlyDesiredFields) {
        Map<String, Object> before = flatten(current);
        Map<String, Object> after = flatten(desired);
        List<FieldChange> out = new ArrayList<>();
        for (var e : after.entrySet()) {
            Object old = before.get(e.getKey());
            if (!same(e.getKey(), old, e.getValue())) {
                out.add(new FieldChange(e.getKey(), old, e.getValue()));
            }
        }
        if (!onlyDesiredFields) {
            for (var e : before.entrySet()) {
                if (!after.containsKey(e.getKey())) {
                    out.add(new FieldChange(e.getKey(), e.getValue(), null));
                }
            }
        }
        return out;
    }

    /** Leaf paths to values; empty maps and lists are leaves of their own. */
    static Map<String, Object> flatten(Map<String, Object> object) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", object, out);
        return out;
    }

    private static void flatten(String path, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, v) -> flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out));
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            boolean named = namedItems(l);
            for (int i = 0; i < l.size(); i++) {
                String key = named ? String.valueOf(((Map<?, ?>) l.get(i)).get("name")) : String.valueOf(i);
                flatten(path + "[" + key + "]", l.get(i), out);
            }
        } else {
            out.put(path, value);
        }
    }

    private static boolean namedItems(List<?> items) {
        Set<Object> names = new HashSet<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m) || m.get("name") == null || !names.add(m.get("name"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Equal, taking 3 and 3L and "3" as the same value, as YAML and JSON round trips may change the
     * type; a resource quantity is compared by amount, as the API server rewrites {@code 0.5} to
     * {@code 500m} and {@code 1.5} to {@code 1500m}.
     */
    private static boolean same(String path, Object a, Object b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null || a instanceof Map || a instanceof List) {
            return false;
        }
        if (String.valueOf(a).equals(String.valueOf(b))) {
            return true;
        }
        if (QUANTITY_PATH.matcher(path).find()) {
            try {
                return Quantity.parse(String.valueOf(a)).value().compareTo(Quantity.parse(String.valueOf(b)).value()) == 0;
            } catch (IllegalArgumentException notAQuantity) {
                return false;
            }
        }
        return false;
    }
}
