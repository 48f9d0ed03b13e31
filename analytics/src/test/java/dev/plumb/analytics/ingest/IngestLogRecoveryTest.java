package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay at open after a crash or a bad disk: it starts at the applied position, cuts off the
 * write the process died in, and reports damage to acknowledged records that are not loaded yet.
 */
class IngestLogRecoveryTest {
    /** Two 40-byte records per segment. */
    private static final long SEGMENT = 64;

    @TempDir
    Path dir;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Ten records of 32 bytes, r0 to r9, two to a segment; answers their positions. */
    private List<Long> tenRecords() throws IOException {
        List<Long> positions = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir, 0, SEGMENT, e -> { })) {
            for (int i = 0; i < 10; i++) {
                positions.add(log.append(text(String.format("r%d-%s", i, "x".repeat(29)))));
            }
            log.force();
        }
        return positions;
    }

    /** Flips a bit in the payload of the record that ends at {@code position}. */
    private void damage(long position) throws IOException {
        flip(position - 1, 0x01);
    }

    /** Flips {@code bits} in the byte at log position {@code at}. */
    private void flip(long at, int bits) throws IOException {
        Path file = segmentHolding(at);
        long base = Long.parseLong(file.getFileName().toString().substring(0, 20));
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) (at - base)] ^= (byte) bits;
        Files.write(file, bytes);
    }

    private Path segmentHolding(long position) throws IOException {
        Path holding = null;
        for (Path p : files(".log")) {
            if (Long.parseLong(p.getFileName().toString().substring(0, 20)) <= position) {
                holding = p;
            }
        }
        return holding;
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private IngestLog.Replay replay(long applied, List<String> into) throws IOException {
        try (IngestLog log = IngestLog.open(dir, applied, SEGMENT,
                e -> into.add(new String(e.payload(), StandardCharsets.UTF_8).substring(0, 2)))) {
            return log.replay();
        }
    }

    @Test
    void damageToRecordsAlreadyLoadedStopsNothing() throws IOException {
        List<Long> positions = tenRecords();
        damage(positions.get(0)); // in a segment wholly applied
        damage(positions.get(6)); // in the segment that holds the applied position, before it

        List<String> seen = new ArrayList<>();
        IngestLog.Replay replay = replay(positions.get(6), seen);

        assertThat(replay.problem()).isEmpty();
        assertThat(seen).containsExactly("r7", "r8", "r9");
        assertThat(files(".corrupt")).isEmpty();
    }

    @Test
    void segmentsSkippedAtOpenAreReleasedLater() throws IOException {
        List<Long> positions = tenRecords();
        try (IngestLog log = IngestLog.open(dir, positions.get(6), SEGMENT, e -> { })) {
            log.release(positions.get(6));
        }
        assertThat(files(".log")).first().isEqualTo(segmentHolding(positions.get(6) - 1));
    }

    @Test
    void stillReportsDamageToRecordsNotLoadedYet() throws IOException {
        List<Long> positions = tenRecords();
        damage(positions.get(8));

        List<String> seen = new ArrayList<>();
        IngestLog.Replay replay = replay(positions.get(6), seen);

        assertThat(seen).containsExactly("r7");
        assertThat(replay.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("CRC mismatch", "position " + positions.get(7), "kept as .corrupt"));
        assertThat(files(".corrupt")).hasSize(1);
    }

    @Test
    void cutsOffAHalfWrittenRecordWithOnlyZerosAfterIt() throws IOException {
        List<Long> positions = tenRecords();
        Path last = segmentHolding(positions.get(9));
        long intact = Files.size(last);
        // The file grew before all of its data reached the disk: a header, four of the ten bytes
        // it promises, and zeros, also where the next record of the same write was to go.
        ByteBuffer torn = ByteBuffer.allocate(IngestLog.HEADER + 10 + 40).putInt(10).putInt(12345).put(text("half"));
        Files.write(last, torn.array(), StandardOpenOption.APPEND);

        List<String> seen = new ArrayList<>();
        IngestLog.Replay replay = replay(positions.get(6), seen);

        assertThat(replay.problem()).isEmpty();
        assertThat(seen).containsExactly("r7", "r8", "r9");
        assertThat(Files.size(last)).isEqualTo(intact);
        assertThat(files(".corrupt")).isEmpty();
    }

    @Test
    void reportsABadLengthWithRecordsAfterItInsteadOfCuttingThemOff() throws IOException {
        List<Long> positions = tenRecords();
        Path last = segmentHolding(positions.get(7));
        flip(positions.get(7), 0x80); // r8, first in the last segment, gets a negative length; r9 follows

        List<String> seen = new ArrayList<>();
        IngestLog.Replay replay = replay(positions.get(6), seen);

        assertThat(seen).containsExactly("r7");
        assertThat(replay.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains(last.toString(), "a length of", "position " + positions.get(7),
                        "kept as .corrupt"));
        assertThat(files(".corrupt")).hasSize(1);
    }
}
