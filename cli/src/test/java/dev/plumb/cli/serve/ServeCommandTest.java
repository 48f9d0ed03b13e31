package dev.plumb.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.cli.CommandRun;
import dev.plumb.cli.PlumbCommand;
import dev.plumb.collector.PlumbConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {

    private static PlumbConfig configOf(Map<String, String> env, String... args) {
        CommandLine.ParseResult parsed = PlumbCommand.commandLine(env).parseArgs(args);
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return serve.options.toConfig(env);
    }

    @Test
    void usesTheContractDefaultsWhenNothingIsSet() {
        PlumbConfig config = configOf(Map.of(), "serve");

        assertThat(config.otlpGrpcPort()).isEqualTo(4317);
        assertThat(config.otlpHttpPort()).isEqualTo(4318);
        assertThat(config.httpPort()).isEqualTo(4320);
        assertThat(config.dataDir()).isEqualTo(Path.of("plumb-data"));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.pricingFile()).isNull();
    }

    @Test
    void flagBeatsVariableWhichBeatsDefault() {
        Map<String, String> env = Map.of("PLUMB_HTTP_PORT", "9999", "PLUMB_OTLP_GRPC_PORT", "5317",
                "PLUMB_DATA_DIR", "/var/lib/plumb");

        PlumbConfig config = configOf(env, "serve", "--otlp-grpc-port", "6317", "--host", "127.0.0.1");

        assertThat(config.otlpGrpcPort()).isEqualTo(6317);
        assertThat(config.httpPort()).isEqualTo(9999);
        assertThat(config.otlpHttpPort()).isEqualTo(4318);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/plumb"));
        assertThat(config.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void rejectsPortOutOfRangeNamingTheFlag() {
        CommandRun run = CommandRun.of("serve", "--http-port", "70000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("plumb serve: --http-port must be 0..65535, got 70000")
                .contains("plumb serve --help")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void rejectsPortThatIsNotANumberNamingTheFlag() {
        CommandRun run = CommandRun.of("serve", "--otlp-http-port", "http");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--otlp-http-port", "'http' is not an int");
    }

    @Test
    void rejectsBadVariableNamingTheFlagItFeeds() {
        CommandRun run = CommandRun.of(Map.of("PLUMB_OTLP_GRPC_PORT", "grpc"), "serve");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--otlp-grpc-port", "'grpc'");
    }

    @Test
    void alertEvalIntervalComesFromItsFlagThenItsVariableThenFifteenSeconds() {
        assertThat(configOf(Map.of(), "serve").alertEvalInterval()).isEqualTo(java.time.Duration.ofSeconds(15));
        Map<String, String> env = Map.of("PLUMB_ALERT_EVAL_INTERVAL", "30s");
        assertThat(configOf(env, "serve").alertEvalInterval()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(configOf(env, "serve", "--alert-eval-interval", "1m").alertEvalInterval())
                .isEqualTo(java.time.Duration.ofMinutes(1));
    }

    @Test
    void rejectsAnAlertEvalIntervalThatIsNotADurationNamingTheFlag() {
        CommandRun byVariable = CommandRun.of(Map.of("PLUMB_ALERT_EVAL_INTERVAL", "often"), "serve");
        assertThat(byVariable.exitCode()).isEqualTo(2);
        assertThat(byVariable.err()).contains("PLUMB_ALERT_EVAL_INTERVAL", "'often' is not a duration")
                .doesNotContain("\tat ");

        CommandRun byFlag = CommandRun.of("serve", "--alert-eval-interval", "often");
        assertThat(byFlag.exitCode()).isEqualTo(2);
        assertThat(byFlag.err()).contains("--alert-eval-interval", "'often' is not a duration");
    }

    @Test
    void rejectsTwoListenersOnOnePort() {
        CommandRun run = CommandRun.of("serve", "--otlp-http-port", "9000", "--http-port", "9000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--otlp-http-port and --http-port are both 9000");
    }

    @Test
    void rejectsMissingPricingFileNamingTheFlag(@org.junit.jupiter.api.io.TempDir Path dir) {
        CommandRun run = CommandRun.of("serve", "--pricing", dir.resolve("prices.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pricing", "prices.yaml", "is not a readable file");
    }

    @Test
    void helpNamesEveryFlagItsVariableAndDefault() {
        CommandRun run = CommandRun.of("serve", "--help");

        assertThat(run.outText()).contains(
                "--otlp-grpc-port=PORT", "Env PLUMB_OTLP_GRPC_PORT. Default: 4317.",
                "--otlp-http-port=PORT", "Env PLUMB_OTLP_HTTP_PORT. Default: 4318.",
                "--http-port=PORT", "Env PLUMB_HTTP_PORT. Default: 4320.",
                "--data-dir=DIR", "Default: ./plumb-data.",
                "--pricing=FILE", "Env PLUMB_PRICING.",
                "--config=FILE", "Env PLUMB_CONFIG.",
                "--host=ADDRESS", "Env PLUMB_HOST. Default: 0.0.0.0.",
                "Examples:", "-javaagent:");
    }
}
