package dev.plumb.deploy.plan;

/**
 * One field that differs: its path ({@code spec.template.spec.containers[payment-service].image};
 * list items that have a name are addressed by it) and its value before and after, null when absent.
 */
public record FieldChange(String path, Object before, Object after) {

    /** {@code path: before -> after}, with {@code (none)} for an absent side. */
    public String describe() {
        return path + ": " + (before == null ? "(none)" : before) + " -> " + (after == null ? "(none)" : after);
    }
}
