package dev.plumb.analytics.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlCompilerTest {

    @Test
    void compilesStatusErrorToSeverityErrorOrWorse() {
        SqlFilter f = SqlCompiler.compile("status:error", QueryTarget.LOGS);

        assertThat(f.sql()).isEqualTo("severity_number >= ?");
        assertThat(f.parameters()).containsExactly(17);
    }

    @Test
    void mapsEverySeverityLevelToItsFloor() {
        assertThat(SqlCompiler.compile("severity:WARN", QueryTarget.LOGS).parameters()).containsExactly(13);
        assertThat(SqlCompiler.compile("level:info", QueryTarget.LOGS).parameters()).containsExactly(9);
        assertThat(SqlCompiler.compile("status:debug", QueryTarget.LOGS).parameters()).containsExactly(5);
        assertThat(SqlCompiler.compile("status:fatal", QueryTarget.LOGS).parameters()).containsExactly(21);
        assertThat(SqlCompiler.compile("severity>=17", QueryTarget.LOGS).sql()).isEqualTo("severity_number >= ?");
    }

    @Test
    void looksUpAttributesThenResourceThroughAJsonPointerParameter() {
        SqlFilter f = SqlCompiler.compile("http.status_code>=500", QueryTarget.LOGS);

        assertThat(f.sql()).isEqualTo("TRY_CAST(COALESCE(json_extract_string(attributes, ?), "
                + "json_extract_string(resource, ?)) AS DOUBLE) >= ?");
        assertThat(f.parameters()).containsExactly("/http.status_code", "/http.status_code", 500.0);
    }

    @Test
    void convertsDurationUnitsToMillisecondsForAttributes() {
        assertThat(SqlCompiler.compile("duration>2s", QueryTarget.LOGS).parameters()).last().isEqualTo(2000.0);
        assertThat(SqlCompiler.compile("duration>250us", QueryTarget.LOGS).parameters()).last().isEqualTo(0.25);
    }

    @Test
    void comparesSpanDurationInNanosecondsWithMillisecondsAsDefaultUnit() {
        SqlFilter f = SqlCompiler.compile("duration>500ms", QueryTarget.SPANS);

        assertThat(f.sql()).isEqualTo("duration_nanos > ?");
        assertThat(f.parameters()).containsExactly(500_000_000.0);
        assertThat(SqlCompiler.compile("duration>500", QueryTarget.SPANS).parameters()).containsExactly(500_000_000.0);
        assertThat(SqlCompiler.compile("duration>1m", QueryTarget.SPANS).parameters()).containsExactly(60e9);
    }

    @Test
    void searchesFreeTextInTheBodyOfLogsAndTheNameOfSpansIgnoringCase() {
        assertThat(SqlCompiler.compile("Timeout", QueryTarget.LOGS))
                .isEqualTo(new SqlFilter("contains(lower(body), ?)", java.util.List.of("timeout")));
        assertThat(SqlCompiler.compile("Timeout", QueryTarget.SPANS).sql()).isEqualTo("contains(lower(name), ?)");
    }

    @Test
    void treatsAMissingFieldAsNotMatchingUnderNot() {
        SqlFilter f = SqlCompiler.compile("NOT region:eu", QueryTarget.LOGS);

        assertThat(f.sql()).startsWith("NOT COALESCE(").endsWith(", FALSE)");
    }

    @Test
    void keepsOperatorPrecedenceWithParentheses() {
        SqlFilter f = SqlCompiler.compile("service:a OR service:b AND error", QueryTarget.LOGS);

        assertThat(f.sql()).isEqualTo("(service = ?) OR ((service = ?) AND (contains(lower(body), ?)))");
        assertThat(f.parameters()).containsExactly("a", "b", "error");
    }

    @Test
    void matchesSpanStatusAndKindByName() {
        assertThat(SqlCompiler.compile("status:error kind:server", QueryTarget.SPANS).parameters())
                .containsExactly("ERROR", "SERVER");
    }

    @Test
    void rejectsAnUnknownSeverityAtItsColumn() {
        assertThatThrownBy(() -> SqlCompiler.compile("service:a AND status:eror", QueryTarget.LOGS))
                .isInstanceOf(LogQueryException.class)
                .hasMessage("unknown severity 'eror' for status at column 14: use one of trace, debug, info, warn, error, fatal")
                .extracting(e -> ((LogQueryException) e).position()).isEqualTo(14);
        assertThatThrownBy(() -> SqlCompiler.compile("status:broken", QueryTarget.SPANS))
                .isInstanceOf(LogQueryException.class)
                .hasMessageContaining("use ok, error or unset");
    }

    @Test
    void rejectsADurationUnitOnSeverity() {
        assertThatThrownBy(() -> SqlCompiler.compile("severity>5s", QueryTarget.LOGS))
                .isInstanceOf(LogQueryException.class)
                .hasMessageContaining("severity>=17");
    }
}
