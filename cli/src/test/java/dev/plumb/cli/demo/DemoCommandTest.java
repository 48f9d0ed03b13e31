package dev.plumb.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.cli.CommandRun;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    private final String home = System.getProperty("plumb.home");

    @AfterEach
    void restoreHome() {
        if (home == null) {
            System.clearProperty("plumb.home");
        } else {
            System.setProperty("plumb.home", home);
        }
    }

    @Test
    void withoutBuiltJarsSaysWhereItLookedAndHowToBuildThem(@TempDir Path emptyCheckout) {
        System.setProperty("plumb.home", emptyCheckout.toString());

        CommandRun run = CommandRun.of("demo", "--data-dir", emptyCheckout.resolve("data").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("plumb demo: cannot find "
                        + emptyCheckout.resolve("agent/javaagent/target/plumb-agent.jar"))
                .contains("./mvnw -DskipTests install");
    }

    @Test
    void rejectsLoadOutOfRangeNamingTheFlag() {
        CommandRun run = CommandRun.of("demo", "--rps", "500");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rps must be between 0.1 and 50, got 500.0");
    }
}
