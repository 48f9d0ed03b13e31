package dev.plumb.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.deploy.definition.ServicesFile;
import dev.plumb.deploy.definition.ServicesFileParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rendered objects of the fixtures against golden files under src/test/resources/golden.
 * After a deliberate change, regenerate them with {@code -Dplumb.golden.update=true} and review the diff.
 */
class KubernetesRendererTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static ServicesFile fixture(String name) throws Exception {
        var parsed = ServicesFileParser.parse(Path.of(KubernetesRendererTest.class.getResource("/" + name).toURI()));
        assertThat(parsed.hasErrors()).as("fixture %s parses", name).isFalse();
        return parsed.file();
    }

    @Test
    void shopRendersExactlyTheGoldenFiles(@TempDir Path out) throws Exception {
        checkGolden("shop.yaml", "shop", out);
    }

    @Test
    void contractExampleRendersExactlyTheGoldenFiles(@TempDir Path out) throws Exception {
        checkGolden("contract-example.yaml", "contract-example", out);
    }

    private static void checkGolden(String fixture, String goldenDir, Path out) throws Exception {
        ManifestFiles.write(out, KubernetesRenderer.render(fixture(fixture)));
        Path golden = GOLDEN.resolve(goldenDir);
        if (Boolean.getBoolean("plumb.golden.update")) {
            Files.createDirectories(golden);
            for (Path old : list(golden)) {
                Files.delete(old);
            }
            for (Path f : list(out)) {
                Files.copy(f, golden.resolve(f.getFileName()));
            }
        }
        assertThat(names(out)).isEqualTo(names(golden));
        for (Path f : list(out)) {
            assertThat(Files.readString(f, StandardCharsets.UTF_8)).as(f.getFileName().toString())
                    .isEqualTo(Files.readString(golden.resolve(f.getFileName()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyRenderedObjectParsesAndIsNamedAndNamespaced(@TempDir Path out) throws Exception {
        List<Path> files = ManifestFiles.write(out, KubernetesRenderer.render(fixture("shop.yaml")));

        assertThat(files).hasSize(28);
        for (Path f : files) {
            Object body = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
            assertThat(body).as(f.toString()).isInstanceOf(Map.class);
            Map<?, ?> o = (Map<?, ?>) body;
            assertThat(o.get("apiVersion")).as(f + " apiVersion").asString().isNotBlank();
            assertThat(o.get("kind")).as(f + " kind").asString().isNotBlank();
            Map<?, ?> metadata = (Map<?, ?>) o.get("metadata");
            assertThat(metadata.get("name")).as(f + " name").asString().matches("[a-z0-9-]+");
            assertThat(metadata.get("namespace")).as(f + " namespace").asString().matches("[a-z0-9-]+");
        }
    }

    @Test
    void renderingTwiceGivesTheSameBytes() throws Exception {
        ServicesFile shop = fixture("shop.yaml");

        List<String> first = KubernetesRenderer.render(shop).stream().map(ManifestFiles::yaml).toList();
        List<String> second = KubernetesRenderer.render(fixture("shop.yaml")).stream().map(ManifestFiles::yaml).toList();

        assertThat(second).isEqualTo(first);
    }

    @Test
    @SuppressWarnings("unchecked")
    void injectsTheAgentAndReferencesSecretsWithoutTheirValues() throws Exception {
        KubeObject deployment = KubernetesRenderer.render(fixture("contract-example.yaml")).stream()
                .filter(o -> o.kind().equals("Deployment")).findFirst().orElseThrow();
        Map<String, Object> spec = (Map<String, Object>) deployment.body().get("spec");
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        Map<String, Object> init = ((List<Map<String, Object>>) pod.get("initContainers")).get(0);
        Map<String, Object> app = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        List<Map<String, Object>> env = (List<Map<String, Object>>) app.get("env");

        assertThat(spec.get("replicas")).isEqualTo(3);
        assertThat(init.get("command")).isEqualTo(List.of("cp", "/plumb-agent.jar", "/plumb/plumb-agent.jar"));
        assertThat(env).contains(
                Map.of("name", "JAVA_TOOL_OPTIONS", "value", "-javaagent:/plumb/plumb-agent.jar"),
                Map.of("name", "OTEL_SERVICE_NAME", "value", "payment-service"),
                Map.of("name", "OTEL_EXPORTER_OTLP_ENDPOINT", "value", "http://plumb-collector.plumb.svc.cluster.local:4318"),
                Map.of("name", "DB_URL", "valueFrom", Map.of("secretKeyRef", Map.of("name", "payment-db-conn-string", "key", "DB_URL"))));
        assertThat(app.get("resources")).isEqualTo(Map.of("requests", Map.of("cpu", "500m", "memory", "512Mi"),
                "limits", Map.of("memory", "512Mi")));
        assertThat((Map<String, Object>) app.get("securityContext"))
                .containsEntry("readOnlyRootFilesystem", true).containsEntry("runAsNonRoot", true);
        assertThat(((Map<String, Object>) app.get("readinessProbe")).get("httpGet")).isEqualTo(Map.of("path", "/health", "port", "http"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServicesOwnToolOptionsAndResourceAttributesAreAppendedToThoseOfTheAgent() {
        var parsed = ServicesFileParser.parse("""
                services:
                  api:
                    image: api:1.0.0
                    env:
                      - {name: JAVA_TOOL_OPTIONS, value: -XX:MaxRAMPercentage=75}
                      - {name: OTEL_RESOURCE_ATTRIBUTES, value: tier=gold}
                """, "services.yaml");
        KubeObject deployment = KubernetesRenderer.render(parsed.file()).stream()
                .filter(o -> o.kind().equals("Deployment")).findFirst().orElseThrow();
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.body()
                .get("spec")).get("template")).get("spec");
        List<Map<String, Object>> env = (List<Map<String, Object>>) ((List<Map<String, Object>>) pod.get("containers")).get(0).get("env");

        assertThat(env).contains(
                Map.of("name", "JAVA_TOOL_OPTIONS", "value", "-javaagent:/plumb/plumb-agent.jar -XX:MaxRAMPercentage=75"),
                Map.of("name", "OTEL_RESOURCE_ATTRIBUTES", "value",
                        "k8s.namespace.name=default,k8s.pod.name=$(POD_NAME),team=default,deployment.environment=dev,tier=gold"));
        assertThat(env).extracting(e -> e.get("name")).doesNotHaveDuplicates();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        return list(dir).stream().map(p -> p.getFileName().toString()).toList();
    }
}
