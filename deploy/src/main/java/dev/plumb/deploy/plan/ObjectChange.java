package dev.plumb.deploy.plan;

import dev.plumb.deploy.render.KubeObject;
import java.util.List;
import java.util.Objects;

/**
 * What happens to one object: created, updated (with the fields that change), deleted, or left
 * unchanged. {@code desired} is null for a delete, {@code current} null for a create.
 */
public record ObjectChange(Action action, String id, List<FieldChange> fields, KubeObject desired, KubeObject current) {

    /** The four outcomes, with the sign plan prints before each. */
    public enum Action {
        CREATE("+"), UPDATE("~"), DELETE("-"), UNCHANGED("=");

        private final String sign;

        Action(String sign) {
            this.sign = sign;
        }

        public String sign() {
            return sign;
        }
    }

    public ObjectChange {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(id, "id");
        fields = List.copyOf(fields);
    }
}
