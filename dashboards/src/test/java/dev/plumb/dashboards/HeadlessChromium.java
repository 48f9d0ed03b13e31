package dev.plumb.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Debian's Chromium, headless: loads a page, runs its scripts, returns the DOM and the console. */
final class HeadlessChromium {

    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[^\\]]*] \"(.*)\", source:");
    private static final Pattern STATE = Pattern.compile("data-panel=\"([^\"]+)\"[^>]*data-state=\"([a-z]+)\"");

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** Chromium from {@code CHROMIUM} or the usual install paths, if there is one. */
    static Optional<HeadlessChromium> find() {
        String env = System.getenv("CHROMIUM");
        return Stream.concat(env == null ? Stream.empty() : Stream.of(env),
                        Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"))
                .map(Path::of).filter(Files::isExecutable).findFirst().map(HeadlessChromium::new);
    }

    /** What the page showed: its DOM after the scripts ran and what it wrote to the console. */
    record Page(String dom, List<String> console) {

        /** Panel id → state ({@code ready}, {@code empty}, {@code error}, ...), in page order. */
        java.util.Map<String, String> panelStates() {
            java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
            Matcher m = STATE.matcher(dom);
            while (m.find()) {
                states.put(m.group(1), m.group(2));
            }
            return states;
        }

        /** Console lines that mean a script failed (not a 404 that a panel handled). */
        List<String> scriptErrors() {
            return console.stream()
                    .filter(line -> line.contains("Uncaught") || line.contains("TypeError") || line.contains("ReferenceError")
                            || line.contains("SyntaxError"))
                    .toList();
        }
    }

    /** Loads {@code url} and lets its scripts run for up to {@code budgetMillis} of virtual time. */
    Page load(String url, int budgetMillis) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("plumb-chromium");
        try {
            Process p = new ProcessBuilder(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                    "--virtual-time-budget=" + budgetMillis, "--window-size=1400,900", "--dump-dom", url))
                    .redirectError(profile.resolve("stderr.txt").toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish loading " + url + " within 90 s");
            }
            List<String> console = new ArrayList<>();
            for (String line : Files.readAllLines(profile.resolve("stderr.txt"), StandardCharsets.UTF_8)) {
                Matcher m = CONSOLE.matcher(line);
                if (m.find()) {
                    console.add(m.group(1));
                }
            }
            return new Page(new String(out, StandardCharsets.UTF_8), console);
        } finally {
            try (Stream<Path> walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
