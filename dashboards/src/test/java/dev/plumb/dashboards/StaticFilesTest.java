package dev.plumb.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The page loads only what exists: its own files, the ECharts webjar, modules it imports. */
class StaticFilesTest {

    private final Path root = DashboardResources.root();

    @Test
    void indexHtmlReferencesOnlyFilesThatExist() {
        String html = DashboardResources.read(root.resolve("index.html"));
        Set<String> refs = DashboardResources.matches("(?:src|href)=\"([^\"#][^\"]*)\"", html);
        assertThat(refs).contains("app.js", "app.css", "webjars/echarts/5.3.1/dist/echarts.min.js");
        List<String> missing = new ArrayList<>();
        for (String ref : refs) {
            if (ref.startsWith("api/v1/")) {
                if (ApiContract.of(ref.substring("api/v1".length())).isEmpty()) {
                    missing.add(ref + " (not an API path)");
                }
            } else if (ref.startsWith("webjars/")) {
                // The collector serves webjars from META-INF/resources/ on its classpath.
                if (getClass().getClassLoader().getResource("META-INF/resources/" + ref) == null) {
                    missing.add(ref + " (no such file in a webjar on the classpath)");
                }
            } else if (ref.contains("//") || !Files.isRegularFile(root.resolve(ref))) {
                missing.add(ref);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyModuleImportResolvesToAPackagedFile() {
        List<String> broken = new ArrayList<>();
        List<Path> modules = DashboardResources.files(root, ".js");
        assertThat(modules).hasSizeGreaterThan(5);
        for (Path module : modules) {
            String js = DashboardResources.read(module);
            for (String spec : DashboardResources.matches("(?:from|import)\\s+'([^']+)'", js)) {
                Path target = module.getParent().resolve(spec).normalize();
                if (!spec.startsWith(".") || !spec.endsWith(".js") || !Files.isRegularFile(target)) {
                    broken.add(root.relativize(module) + " imports " + spec);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void noModuleTurnsTextIntoMarkup() {
        // Log bodies and attribute values come from any application: they must stay text.
        List<String> offenders = new ArrayList<>();
        for (Path module : DashboardResources.files(root, ".js")) {
            String js = DashboardResources.read(module);
            for (String sink : List.of(".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(")) {
                if (js.contains(sink)) {
                    offenders.add(root.relativize(module) + " uses " + sink);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void everyTooltipBuiltAsHtmlEscapesServerText() {
        // ECharts tooltips are the one place that takes HTML; each formatter that builds it escapes.
        for (Path module : DashboardResources.files(root.resolve("js/panels"), ".js")) {
            String js = DashboardResources.read(module);
            if (js.contains("<br>")) {
                assertThat(js).as(root.relativize(module).toString()).contains("escapeHtml(");
                String htmlLines = js.lines().filter(line -> line.contains("<b")).collect(Collectors.joining("\n"));
                assertThat(DashboardResources.matches("\\$\\{([a-z]\\w*(?:\\.\\w+)+)}", htmlLines))
                        .as("values put into tooltip HTML without escapeHtml in %s", root.relativize(module)).isEmpty();
            }
        }
    }
}
