package dev.plumb.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the UI's own unit tests (src/test/js, Node's built-in test runner) over the packaged
 * modules: time windows and steps, routes, the waterfall layout, cost sums, formats.
 */
class JavaScriptModulesTest {

    @Test
    void uiModulesPassTheirNodeTests(@TempDir Path work) throws Exception {
        Path node = Stream.of("/usr/bin/node", "/usr/local/bin/node").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeThat(node).as("Node.js is not installed (apt-get install nodejs); the UI's JavaScript tests are skipped").isNotNull();

        // The modules are plain ES modules; a package.json marks them so for Node only.
        copyTree(DashboardResources.root().resolve("js"), work.resolve("js"));
        copyTree(Path.of("src/test/js"), work.resolve("test"));
        Files.writeString(work.resolve("package.json"), "{\"type\": \"module\"}\n");

        Process process = new ProcessBuilder(List.of(node.toString(), "--test", "test/"))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("node --test finished within 120 s").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
