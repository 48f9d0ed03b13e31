package dev.plumb.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/** Every rendered PrometheusRule's groups pass {@code promtool check rules} (Debian's prometheus package). */
class PrometheusRulePromtoolIT {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void renderedAlertRulesPassPromtool(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            assertThat(System.getenv("CI")).as("CI=true needs Debian's prometheus package at " + PROMTOOL).isNotEqualTo("true");
            assumeTrue(false, "skipped: no promtool at " + PROMTOOL + " (apt-get install prometheus)");
        }
        List<KubeObject> rules = KubernetesRenderer.render(KubernetesRendererTest.fixture("shop.yaml")).stream()
                .filter(o -> o.kind().equals("PrometheusRule")).toList();
        assertThat(rules).hasSize(3);
        for (KubeObject rule : rules) {
            Path file = dir.resolve(rule.name() + ".rules.yaml");
            Files.writeString(file, new Dump(DumpSettings.builder().build()).dumpToString((Map<?, ?>) rule.body().get("spec")),
                    StandardCharsets.UTF_8);

            Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("SUCCESS: 2 rules found");
        }
    }
}
