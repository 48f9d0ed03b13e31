package dev.plumb.deploy.render;

import java.util.Map;
import java.util.Objects;

/**
 * One Kubernetes object as plain maps and lists in a stable key order, as it is written to YAML,
 * sent to the API server and compared by plan.
 */
public record KubeObject(Map<String, Object> body) {

    public KubeObject {
        Objects.requireNonNull(body, "body");
        if (!(body.get("metadata") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("a Kubernetes object needs metadata, got " + body.keySet());
        }
    }

    public String apiVersion() {
        return String.valueOf(body.get("apiVersion"));
    }

    public String kind() {
        return String.valueOf(body.get("kind"));
    }

    public String name() {
        return String.valueOf(metadata().get("name"));
    }

    public String namespace() {
        return String.valueOf(metadata().get("namespace"));
    }

    /** The label {@code key} of the object, or null. */
    public String label(String key) {
        return metadata().get("labels") instanceof Map<?, ?> labels && labels.get(key) != null
                ? String.valueOf(labels.get(key)) : null;
    }

    /** {@code Kind/namespace/name}: what identifies the object in a cluster. */
    public String id() {
        return kind() + "/" + namespace() + "/" + name();
    }

    /** {@code namespace.kind.name.yaml}, unambiguous because none of the three may contain a dot. */
    public String fileName() {
        return namespace() + "." + kind().toLowerCase(java.util.Locale.ROOT) + "." + name() + ".yaml";
    }

    private Map<?, ?> metadata() {
        return (Map<?, ?>) body.get("metadata");
    }
}
