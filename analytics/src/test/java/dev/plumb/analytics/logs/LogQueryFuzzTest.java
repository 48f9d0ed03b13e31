package dev.plumb.analytics.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plumb.analytics.schema.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random queries: the parser may only ever throw {@link LogQueryException}, the SQL it
 * produces is made of a fixed vocabulary (so no value of the query reached it), has exactly one
 * placeholder per parameter, and runs on a real DuckDB.
 */
class LogQueryFuzzTest {
    private static final long SEED = 20260105L;
    private static final Set<String> VOCABULARY = Set.of(
            "TRUE", "FALSE", "AND", "OR", "NOT", "COALESCE", "TRY_CAST", "AS", "DOUBLE", "contains", "lower",
            "starts_with", "json_extract_string", "attributes", "resource", "body", "name", "service", "kind",
            "status", "trace_id", "span_id", "severity_number", "duration_nanos", "IS", "NULL");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");
    private static final String[] TOKENS = {
        "service", "status", "severity", "level", "body", "trace_id", "span_id", "duration", "kind", "name",
        "http.status_code", "a.b", "x", "'", "';DROP TABLE logs;--", "\"", "\\", ":", ">", ">=", "<", "<=", "=",
        "(", ")", "AND", "OR", "NOT", "and", "*", "error", "warn", "500", "500ms", "1.5s", "-3", "1e999", "ms",
        "\"quoted phrase\"", "\"unterminated", "pay*", " ", " ", "  ", "\t", "é", "µs", "%", "_", "$1", "?", "--",
        "/*", "*/", "~", "/"};
    private static final String ALPHABET = "abcsz019 :\"()*<>=!'-;%_.\\/?~\tANDORT";

    private static Connection db;
    private int compiled;
    private int rejected;

    @BeforeAll
    static void openDatabase() throws Exception {
        db = DriverManager.getConnection("jdbc:duckdb:");
        Schema.apply(db);
    }

    @AfterAll
    static void closeDatabase() throws Exception {
        db.close();
    }

    @Test
    void randomCharacterStringsEitherCompileSafelyOrFailWithAColumn() throws Exception {
        Random random = new Random(SEED);
        for (int n = 0; n < 3000; n++) {
            StringBuilder query = new StringBuilder();
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                query.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            check(query.toString(), n % 10 == 0);
        }
        assertBothOutcomesSeen();
    }

    @Test
    void randomTokenSequencesEitherCompileSafelyOrFailWithAColumn() throws Exception {
        Random random = new Random(SEED + 1);
        for (int n = 0; n < 3000; n++) {
            StringBuilder query = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) {
                query.append(TOKENS[random.nextInt(TOKENS.length)]);
                if (random.nextBoolean()) {
                    query.append(' ');
                }
            }
            check(query.toString(), n % 10 == 0);
        }
        assertBothOutcomesSeen();
    }

    /** A generator that only ever produced errors (or never did) would prove nothing. */
    private void assertBothOutcomesSeen() {
        assertThat(compiled).as("queries that compiled").isGreaterThan(600);
        assertThat(rejected).as("queries that were rejected").isGreaterThan(600);
    }

    private void check(String query, boolean execute) throws Exception {
        for (QueryTarget target : QueryTarget.values()) {
            SqlFilter filter;
            try {
                filter = SqlCompiler.compile(query, target);
            } catch (LogQueryException e) {
                assertThat(e.position()).as("column of %s in [%s]", e.getMessage(), query)
                        .isBetween(0, query.length());
                assertThat(e.hint()).isNotBlank();
                rejected++;
                continue;
            } catch (RuntimeException e) {
                fail("query [" + query + "] threw " + e, e);
                return;
            }
            compiled++;
            assertOnlyVocabulary(query, filter);
            if (execute) {
                String table = target == QueryTarget.LOGS ? "logs" : "spans";
                try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + filter.sql())) {
                    LogSearch.bind(ps, 1, filter.parameters());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
        }
    }

    private static void assertOnlyVocabulary(String query, SqlFilter filter) {
        String sql = filter.sql();
        assertThat(sql).as("SQL of [%s]", query).doesNotContain("'", "\"", ";", "--", "/*", "\\", "$");
        assertThat(sql.chars().filter(c -> c == '?').count()).as("placeholders of [%s]", query)
                .isEqualTo(filter.parameters().size());
        Matcher m = WORD.matcher(sql);
        while (m.find()) {
            assertThat(VOCABULARY).as("word in SQL of [%s]: %s", query, sql).contains(m.group());
        }
        List<Object> params = filter.parameters();
        assertThat(params).doesNotContainNull();
    }
}
