package dev.plumb.analytics.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceKeyTest {

    @Test
    void computesInJavaWhatTheSqlExpressionComputesForOlderRows() throws Exception {
        List<String> ids = List.of("faca335b539ed1fbadeef7a08d5177c2", "ffffffffffffffffffffffffffffffff",
                "00000000000000000000000000000001", "abc", "", "not-hex-at-all!!", "0123456789abcdef");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = c.prepareStatement("SELECT " + TraceKey.SQL + " FROM (SELECT ? AS trace_id)")) {
            for (String id : ids) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("key of [%s]", id).isEqualTo(TraceKey.of(id));
                }
            }
        }
        assertThat(TraceKey.of("faca335b539ed1fbadeef7a08d5177c2")).isEqualTo(0xfaca335b539ed1fL);
        assertThat(TraceKey.of("")).isZero();
    }
}
