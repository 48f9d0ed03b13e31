package dev.plumb.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlumbConfigTest {
    @Test
    void defaultsAreTheDocumentedPortsAndDataDir() {
        PlumbConfig c = PlumbConfig.defaults();
        assertThat(c.otlpGrpcPort()).isEqualTo(4317);
        assertThat(c.otlpHttpPort()).isEqualTo(4318);
        assertThat(c.httpPort()).isEqualTo(4320);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.dataDir()).isEqualTo(Path.of("plumb-data"));
        assertThat(c.alertEvalInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.pricingFile()).isNull();
    }

    @Test
    void readsEveryPlumbVariable() {
        PlumbConfig c = PlumbConfig.fromEnvironment(Map.of(
                "PLUMB_OTLP_GRPC_PORT", "14317", "PLUMB_OTLP_HTTP_PORT", "14318", "PLUMB_HTTP_PORT", "14320",
                "PLUMB_DATA_DIR", "/var/lib/plumb", "PLUMB_ALERT_EVAL_INTERVAL", "1m", "PLUMB_HOST", "127.0.0.1"));
        assertThat(c.otlpGrpcPort()).isEqualTo(14317);
        assertThat(c.otlpHttpPort()).isEqualTo(14318);
        assertThat(c.httpPort()).isEqualTo(14320);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/plumb"));
        assertThat(c.alertEvalInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesAVariableThatDoesNotParseNamingIt() {
        assertThatThrownBy(() -> PlumbConfig.fromEnvironment(Map.of("PLUMB_HTTP_PORT", "http")))
                .hasMessage("PLUMB_HTTP_PORT must be a port number 0..65535, got 'http'");
        assertThatThrownBy(() -> PlumbConfig.fromEnvironment(Map.of("PLUMB_ALERT_EVAL_INTERVAL", "15 seconds")))
                .hasMessageStartingWith("PLUMB_ALERT_EVAL_INTERVAL: '15 seconds' is not a duration");
    }

    @Test
    void validateNamesTheFlagAndTheFix() {
        assertThatThrownBy(() -> PlumbConfig.defaults().withHttpPort(70000).validate())
                .hasMessageStartingWith("--http-port must be 0..65535, got 70000")
                .hasMessageContaining("PLUMB_HTTP_PORT");
        assertThatThrownBy(() -> PlumbConfig.defaults().withOtlpHttpPort(4320).validate())
                .hasMessage("--otlp-http-port and --http-port are both 4320; give each its own port");
        assertThatThrownBy(() -> PlumbConfig.defaults().withAlertEvalInterval(Duration.ofMillis(10)).validate())
                .hasMessage("PLUMB_ALERT_EVAL_INTERVAL must be at least 1s, got 10ms");
        assertThatThrownBy(() -> PlumbConfig.defaults().withPricingFile(Path.of("/no/such/prices.yaml")).validate())
                .hasMessageStartingWith("--pricing /no/such/prices.yaml is not a readable file");
    }

    @Test
    void durationsReadAndPrintTheSameWay() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationText.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationText.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void startRefusesAPortInUseNamingTheSetting(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            PlumbConfig config = PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                    .withOtlpHttpPort(taken.getLocalPort());
            assertThatThrownBy(() -> Collector.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is in use: set --otlp-http-port"
                            + " or PLUMB_OTLP_HTTP_PORT to a free port (0 picks one)");
        }
        // the failed start released the data dir: a new collector opens it
        try (Collector again = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data))) {
            assertThat(again.httpPort()).isPositive();
        }
    }
}
