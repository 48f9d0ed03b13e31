package dev.plumb.deploy.definition;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed services.yaml: file-wide settings, the services in file order, and where each field
 * was written so that every problem can point at its line.
 */
public record ServicesFile(String origin, String environment, String collectorEndpoint, String agentImage,
                           List<String> encryptedStorageClasses, List<ServiceDefinition> services,
                           Map<String, SourceMark> marks) {

    /** The environments a file may declare; {@code prod} has the strictest image policy. */
    public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");

    public ServicesFile {
        Objects.requireNonNull(origin, "origin");
        encryptedStorageClasses = List.copyOf(encryptedStorageClasses);
        services = List.copyOf(services);
        marks = Map.copyOf(marks);
    }

    /**
     * Where {@code field} was written; for a field that is not in the file, where its nearest
     * written parent is.
     */
    public SourceMark markOf(String field) {
        return nearestMark(marks, field);
    }

    static SourceMark nearestMark(Map<String, SourceMark> marks, String field) {
        String f = field;
        while (true) {
            SourceMark m = marks.get(f);
            if (m != null) {
                return m;
            }
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            if (cut <= 0) {
                return SourceMark.START;
            }
            f = f.substring(0, cut);
        }
    }

    /** The service called {@code name}, or null. */
    public ServiceDefinition service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
