package dev.plumb.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpanIdsTest {

    @Test
    void hexMatchesTheOpenTelemetryApiEncoding() {
        long[] samples = {1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x00f0_0000_0000_00abL, 0x1234_5678_9abc_def0L};
        for (long high : samples) {
            assertThat(SpanIds.hex(high)).isEqualTo(SpanId.fromLong(high));
            for (long low : samples) {
                assertThat(SpanIds.hex(high, low)).isEqualTo(TraceId.fromLongs(high, low));
            }
        }
    }

    @Test
    void parseReadsBackWhatHexWrote() {
        for (int i = 0; i < 1_000; i++) {
            long high = SpanIds.random();
            long low = SpanIds.random();
            String traceId = SpanIds.hex(high, low);
            assertThat(SpanIds.parse(traceId, 0)).isEqualTo(high);
            assertThat(SpanIds.parse(traceId, 16)).isEqualTo(low);
        }
        assertThat(SpanIds.parse("ABCDEF0123456789", 0)).isEqualTo(0xabcdef0123456789L);
    }

    @Test
    void parseRejectsTextThatIsNotHex() {
        assertThatThrownBy(() -> SpanIds.parse("00000000000000zz", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("00000000000000zz");
    }

    @Test
    void randomIdsAreValidAndDoNotRepeat() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            long id = SpanIds.random();
            assertThat(id).isNotZero();
            assertThat(SpanId.isValid(SpanIds.hex(id))).isTrue();
            seen.add(id);
        }
        assertThat(seen).hasSize(100_000);
    }
}
