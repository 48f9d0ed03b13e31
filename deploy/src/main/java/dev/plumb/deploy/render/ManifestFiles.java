package dev.plumb.deploy.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Kubernetes objects as YAML files, one object per file named by {@link KubeObject#fileName()}, so
 * that a directory of them diffs well in review and {@code kubectl apply -f DIR} takes it as is.
 */
public final class ManifestFiles {

    private static final DumpSettings DUMP = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2).setIndicatorIndent(2).setIndentWithIndicator(true).setSplitLines(false)
            .setDereferenceAliases(true).build();

    private ManifestFiles() {
    }

    /** The YAML text of one object. */
    public static String yaml(KubeObject object) {
        return new Dump(DUMP).dumpToString(object.body());
    }

    /** Writes every object into {@code dir} (created if missing); answers the paths written. */
    public static List<Path> write(Path dir, List<KubeObject> objects) {
        try {
            Files.createDirectories(dir);
            List<Path> written = new ArrayList<>();
            for (KubeObject o : objects) {
                Path file = dir.resolve(o.fileName());
                Files.writeString(file, yaml(o), StandardCharsets.UTF_8);
                written.add(file);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the objects to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a directory that only this program writes hold exactly {@code objects}: writes them
     * and removes the YAML files of objects that are gone.
     */
    public static void replace(Path dir, List<KubeObject> objects) {
        List<Path> written = write(dir, objects);
        try {
            for (Path old : yamlFiles(dir)) {
                if (!written.contains(old)) {
                    Files.delete(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the objects to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads every object written by {@link #write}; a missing directory holds none. */
    @SuppressWarnings("unchecked")
    public static List<KubeObject> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<KubeObject> out = new ArrayList<>();
        try {
            for (Path file : yamlFiles(dir)) {
                Object body = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                        .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
                if (!(body instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException(file + " is not a Kubernetes object");
                }
                out.add(new KubeObject((Map<String, Object>) body));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the objects in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
