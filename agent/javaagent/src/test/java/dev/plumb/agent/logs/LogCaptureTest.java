package dev.plumb.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.logs.Severity;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class LogCaptureTest {

    @Test
    void logbackLevelsMapToOpenTelemetrySeverities() {
        assertThat(LogCapture.logbackSeverity(40_000)).isEqualTo(Severity.ERROR);
        assertThat(LogCapture.logbackSeverity(30_000)).isEqualTo(Severity.WARN);
        assertThat(LogCapture.logbackSeverity(20_000)).isEqualTo(Severity.INFO);
        assertThat(LogCapture.logbackSeverity(10_000)).isEqualTo(Severity.DEBUG);
        assertThat(LogCapture.logbackSeverity(5_000)).isEqualTo(Severity.TRACE);
    }

    @Test
    void log4jLevelsMapToOpenTelemetrySeverities() {
        assertThat(LogCapture.log4jSeverity(100)).isEqualTo(Severity.FATAL);
        assertThat(LogCapture.log4jSeverity(200)).isEqualTo(Severity.ERROR);
        assertThat(LogCapture.log4jSeverity(300)).isEqualTo(Severity.WARN);
        assertThat(LogCapture.log4jSeverity(400)).isEqualTo(Severity.INFO);
        assertThat(LogCapture.log4jSeverity(500)).isEqualTo(Severity.DEBUG);
        assertThat(LogCapture.log4jSeverity(600)).isEqualTo(Severity.TRACE);
    }

    @Test
    void julLevelsMapToOpenTelemetrySeverities() {
        assertThat(LogCapture.julSeverity(Level.SEVERE.intValue())).isEqualTo(Severity.ERROR);
        assertThat(LogCapture.julSeverity(Level.WARNING.intValue())).isEqualTo(Severity.WARN);
        assertThat(LogCapture.julSeverity(Level.INFO.intValue())).isEqualTo(Severity.INFO);
        assertThat(LogCapture.julSeverity(Level.CONFIG.intValue())).isEqualTo(Severity.DEBUG4);
        assertThat(LogCapture.julSeverity(Level.FINE.intValue())).isEqualTo(Severity.DEBUG);
        assertThat(LogCapture.julSeverity(Level.FINER.intValue())).isEqualTo(Severity.TRACE2);
        assertThat(LogCapture.julSeverity(Level.FINEST.intValue())).isEqualTo(Severity.TRACE);
    }

    @Test
    void cutsRunawayTextAtTheLimit() {
        String huge = "x".repeat(LogCapture.MAX_TEXT + 500);
        assertThat(LogCapture.cut(huge)).hasSize(LogCapture.MAX_TEXT + 3).endsWith("...");
        assertThat(LogCapture.cut("short")).isEqualTo("short");
    }

    @Test
    void onlyTheOutermostOfNestedLoggingCallsIsCaptured() {
        LogCapture.enterLog();
        try {
            // A library forwarding to another (JUL to SLF4J) logs again inside the first call.
            assertThat(LogCapture.enterLog()).isFalse();
            LogCapture.exitLog();
        } finally {
            LogCapture.exitLog();
        }
    }
}
