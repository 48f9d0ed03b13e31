package dev.plumb.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged batch survives {@code kill -9} of the process that wrote it. */
class StoreCrashIT {
    @TempDir
    Path dataDir;

    @Test
    void findsEveryAcknowledgedBatchAfterSigkill() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Set<Long> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                }
                if (acked.size() == 400 && child.isAlive()) {
                    // SIGKILL (no shutdown hook, no close, no flush); through the handle so our end of the pipe stays open.
                    child.toHandle().destroyForcibly();
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(400);

        try (Store store = Store.open(dataDir); Connection c = store.openConnection()) {
            Set<String> spanTraces = new HashSet<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT trace_id FROM spans GROUP BY trace_id HAVING count(*) = 3")) {
                while (rs.next()) {
                    spanTraces.add(rs.getString(1));
                }
            }
            Set<String> logTraces = new HashSet<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT trace_id FROM logs")) {
                while (rs.next()) {
                    logTraces.add(rs.getString(1));
                }
            }
            for (long id : acked) {
                assertThat(spanTraces).as("spans of acknowledged batch %d", id).contains(CrashingWriter.traceId(id));
                assertThat(logTraces).as("log of acknowledged batch %d", id).contains(CrashingWriter.traceId(id));
            }
        }
    }
}
