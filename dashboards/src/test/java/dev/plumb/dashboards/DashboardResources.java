package dev.plumb.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The UI's files as the collector finds them: the classpath folder {@code plumb-dashboards/}. */
final class DashboardResources {

    static final String FOLDER = "plumb-dashboards";

    private DashboardResources() {
    }

    /** The folder on the test classpath (target/classes), so that packaging is checked too. */
    static Path root() {
        URL index = DashboardResources.class.getClassLoader().getResource(FOLDER + "/index.html");
        if (index == null) {
            throw new IllegalStateException(FOLDER + "/index.html is not on the classpath");
        }
        try {
            return Path.of(index.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every first group of {@code regex} in {@code text}, in order, without repeats. */
    static Set<String> matches(String regex, String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The quoted names in the JavaScript list or object that follows {@code marker}. */
    static Set<String> namesAfter(Path jsFile, String marker, String nameRegex) {
        String js = read(jsFile);
        int at = js.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException(marker + " not found in " + jsFile);
        }
        String block = js.substring(at, js.indexOf(");", at));
        return matches(nameRegex, block);
    }
}
