package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlumbCommandTest {

    @Test
    void helpListsEveryCommandOfTheContractWithExamples() {
        CommandRun run = CommandRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outText()).contains("Usage: plumb", "serve", "demo", "query", "report", "cost", "deploy",
                "Examples:", "./plumb demo", "./plumb query logs 'service:payment AND status:error'");
    }

    @Test
    void withoutCommandSaysWhatToTryAndExits2() {
        CommandRun run = CommandRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing command", "./plumb demo", "plumb --help");
    }

    @Test
    void unknownCommandSuggestsTheNearestAndExits2() {
        CommandRun run = CommandRun.of("serv");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument", "serve");
    }

    @Test
    void versionNamesTheToolFromAnyCommand() {
        assertThat(CommandRun.of("--version").out()).startsWith("plumb ");
        assertThat(CommandRun.of("serve", "--version").out()).startsWith("plumb ");
        assertThat(CommandRun.of("query", "logs", "-V").out()).startsWith("plumb ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deploy validate no-such-services.yaml",
            "deploy render no-such-services.yaml --out k8s",
            "deploy plan no-such-services.yaml",
            "deploy apply no-such-services.yaml --dry-run"})
    void deployCommandsAreWiredAndNameAMissingFile(String commandLine) {
        CommandRun run = CommandRun.of(commandLine.split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no-such-services.yaml: no such file").doesNotContain("not yet available", "Exception");
    }

    @Test
    void costImportIsWiredToTheCostEngineAndNamesAMissingFile(@TempDir Path dataDir) {
        Path missing = dataDir.resolve("no-such-usage.csv");

        CommandRun run = CommandRun.of("cost", "import", missing.toString(), "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no-such-usage.csv").doesNotContain("not yet available", "Exception");
    }

    @Test
    void groupWithoutSubcommandIsAUsageError() {
        CommandRun run = CommandRun.of("deploy");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("plumb deploy: Missing subcommand", "plumb deploy --help");
    }

    @Test
    void environmentVariableBecomesTheDefaultShownInHelp() {
        CommandRun run = CommandRun.of(Map.of("PLUMB_HTTP_PORT", "9999"), "serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outText()).contains("Env PLUMB_HTTP_PORT. Default: 9999.");
    }
}
