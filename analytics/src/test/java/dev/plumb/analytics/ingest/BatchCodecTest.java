package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest log's record format: what is encoded decodes to the same batch. */
class BatchCodecTest {

    @Test
    void roundTripsEveryKindOfRecord() {
        TelemetryBatch batch = LogReplayTest.batch(3);
        assertThat(BatchCodec.decode(BatchCodec.encode(batch))).isEqualTo(batch);
    }

    @Test
    void textOutsideAsciiKeepsItsCharactersWhereverItIs() {
        SpanRow span = new SpanRow("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", "paiement-ü",
                "GET /bücher/日本", SpanKind.SERVER, 1, 2, StatusCode.ERROR, "échec: ✗",
                Map.of("user", "Zoë", "emoji", "🙂", "plain", "ascii"), Map.of("service.name", "paiement-ü"),
                "scope-ß", List.of(), List.of());
        TelemetryBatch batch = TelemetryBatch.ofSpans(List.of(span));
        assertThat(BatchCodec.decode(BatchCodec.encode(batch))).isEqualTo(batch);
    }

    @Test
    void aBatchLargerThanTheThreadsBufferAndTheOnesAfterItAreWhole() {
        List<SpanRow> spans = new ArrayList<>();
        String big = "x".repeat(4_000);
        for (int i = 0; i < 1_000; i++) {
            spans.add(new SpanRow(String.format("%032x", i + 1), String.format("%016x", i + 1), "", "svc", "op",
                    SpanKind.INTERNAL, i, i + 1, StatusCode.UNSET, "", Map.of("payload", big + i), Map.of(), "s",
                    List.of(), List.of()));
        }
        TelemetryBatch large = TelemetryBatch.ofSpans(spans);
        TelemetryBatch small = LogReplayTest.batch(1);
        // The same thread encodes all three, so the second and third reuse (or replace) the first's buffer.
        byte[] first = BatchCodec.encode(small);
        byte[] second = BatchCodec.encode(large);
        byte[] third = BatchCodec.encode(small);
        assertThat(second.length).isGreaterThan(4_000_000);
        assertThat(BatchCodec.decode(first)).isEqualTo(small);
        assertThat(BatchCodec.decode(second)).isEqualTo(large);
        assertThat(third).isEqualTo(first);
    }

    @Test
    void namesThatShareACacheSlotOrRepeatDecodeToTheirOwnText() {
        // "Aa" and "BB" hash alike (as Java strings do), so they land in one slot of the decoder's cache.
        List<SpanRow> spans = new ArrayList<>();
        String[] names = {"Aa", "BB", "Aa", "AaAa", "BBBB", "AaBB", "BB", "", "x".repeat(65), "x".repeat(65)};
        for (int i = 0; i < names.length; i++) {
            spans.add(new SpanRow(String.format("%032x", i + 1), String.format("%016x", i + 1), "", names[i], names[i],
                    SpanKind.INTERNAL, i, i + 1, StatusCode.UNSET, names[i], Map.of(names[i], names[names.length - 1 - i]),
                    Map.of(), names[i], List.of(), List.of()));
        }
        TelemetryBatch batch = TelemetryBatch.ofSpans(spans);
        TelemetryBatch decoded = BatchCodec.decode(BatchCodec.encode(batch));
        assertThat(decoded).isEqualTo(batch);
        assertThat(BatchCodec.decode(BatchCodec.encode(batch))).as("again, with the cache filled").isEqualTo(batch);
        assertThat(decoded.spans().get(3).name()).as("a repeated name is one instance")
                .isSameAs(decoded.spans().get(3).service());
    }
}
