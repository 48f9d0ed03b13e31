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

/** The write-ahead log on its own: positions, replay, torn tails, CRC mismatches, segment release. */
class IngestLogTest {
    @TempDir
    Path dir;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> replayFrom(long applied) throws IOException {
        List<String> seen = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir, applied, e -> seen.add(new String(e.payload(), StandardCharsets.UTF_8)))) {
            assertThat(log.end()).isGreaterThanOrEqualTo(applied);
        }
        return seen;
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void replaysEveryRecordAfterTheAppliedPositionAndNoneBefore() throws IOException {
        long second;
        try (IngestLog log = IngestLog.open(dir, 0, e -> { })) {
            long first = log.append(text("one"));
            second = log.append(text("two"));
            log.append(text("three"));
            log.force();
            assertThat(first).isEqualTo(IngestLog.HEADER + 3);
            assertThat(second).isEqualTo(2L * IngestLog.HEADER + 6);
        }
        assertThat(replayFrom(0)).containsExactly("one", "two", "three");
        assertThat(replayFrom(second)).containsExactly("three");
    }

    @Test
    void appendsAfterAReopenContinueThePositions() throws IOException {
        long before;
        try (IngestLog log = IngestLog.open(dir, 0, e -> { })) {
            before = log.append(text("a"));
        }
        try (IngestLog log = IngestLog.open(dir, before, e -> { })) {
            assertThat(log.append(text("b"))).isEqualTo(before + IngestLog.HEADER + 1);
        }
        assertThat(replayFrom(0)).containsExactly("a", "b");
        assertThat(replayFrom(before)).containsExactly("b");
    }

    @Test
    void cutsOffARecordTornAtTheEndAndKeepsEveryWholeOne() throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, e -> { })) {
            log.append(text("whole-1"));
            log.append(text("whole-2"));
        }
        Path segment = files(".log").get(0);
        long intact = Files.size(segment);
        // The process died while writing: a header that promises 100 bytes, and 5 of them.
        ByteBuffer torn = ByteBuffer.allocate(IngestLog.HEADER + 5).putInt(100).putInt(12345).put(text("parti"));
        Files.write(segment, torn.array(), StandardOpenOption.APPEND);

        List<String> seen = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir, 0, e -> seen.add(new String(e.payload(), StandardCharsets.UTF_8)))) {
            assertThat(log.replay().problem()).isEmpty();
            assertThat(log.end()).isEqualTo(intact);
            log.append(text("after"));
        }
        assertThat(seen).containsExactly("whole-1", "whole-2");
        assertThat(Files.size(segment)).isEqualTo(intact);
        assertThat(replayFrom(0)).containsExactly("whole-1", "whole-2", "after");
    }

    @Test
    void stopsAtACrcMismatchSaysWhereAndKeepsTheSegmentAside() throws IOException {
        long firstEnd;
        try (IngestLog log = IngestLog.open(dir, 0, e -> { })) {
            firstEnd = log.append(text("good"));
            log.append(text("flipped"));
            log.append(text("unreachable"));
        }
        Path segment = files(".log").get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[(int) firstEnd + IngestLog.HEADER] ^= 0x20; // 'f' of "flipped" becomes 'F'
        Files.write(segment, bytes);

        List<String> seen = new ArrayList<>();
        IngestLog.Replay replay;
        try (IngestLog log = IngestLog.open(dir, 0, e -> seen.add(new String(e.payload(), StandardCharsets.UTF_8)))) {
            replay = log.replay();
            assertThat(log.end()).isEqualTo(firstEnd);
            log.append(text("next"));
        }
        assertThat(seen).containsExactly("good");
        assertThat(replay.records()).isEqualTo(1);
        assertThat(replay.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("CRC mismatch", segment.toString(), "offset " + firstEnd, "kept as .corrupt"));
        assertThat(files(".corrupt")).containsExactly(segment.resolveSibling(segment.getFileName() + ".corrupt"));
        // The damaged records are never replayed again; what came after the restart is.
        assertThat(replayFrom(0)).containsExactly("next");
    }

    @Test
    void releasesWholeSegmentsOnlyOnceEveryRecordInThemIsApplied() throws IOException {
        List<Long> positions = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir, 0, 64, e -> { })) {
            for (int i = 0; i < 20; i++) {
                positions.add(log.append(text("record-number-" + i + "-padded-to-be-long")));
            }
            int segments = files(".log").size();
            assertThat(segments).isGreaterThan(3);
            log.release(positions.get(9));
            assertThat(files(".log").size()).isLessThan(segments);
            long retained = log.retainedBytes();
            assertThat(retained).isLessThan(log.end());
            log.release(positions.get(19));
            assertThat(files(".log")).hasSize(1); // the one being written stays
        }
        try (IngestLog log = IngestLog.open(dir, positions.get(19), 64, e -> { })) {
            assertThat(log.replay().records()).isZero();
            assertThat(log.end()).isEqualTo(positions.get(19));
        }
    }

    @Test
    void readsBackEveryUnreleasedRecordAcrossSegmentsAndNoneThatChanged() throws IOException {
        List<Long> positions = new ArrayList<>();
        List<String> written = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir, 0, 64, e -> { })) {
            for (int i = 0; i < 20; i++) {
                String record = "record-" + i + "-" + "x".repeat(i * 7);
                written.add(record);
                positions.add(log.append(text(record)));
            }
            log.force();
            assertThat(files(".log").size()).isGreaterThan(3);
            // Out of order too: the reader finds each record's segment by its position.
            for (int i : new int[] {0, 5, 19, 3, 12, 12, 7}) {
                assertThat(new String(log.read(positions.get(i), written.get(i).length()), StandardCharsets.UTF_8))
                        .isEqualTo(written.get(i));
            }
            // A length that is not the record's is an error that says so, not other bytes.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.read(positions.get(4), written.get(4).length() - 1))
                    .isInstanceOf(IOException.class).hasMessageContaining("does not read back as written");
            log.release(positions.get(9));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.read(positions.get(0), written.get(0).length()))
                    .isInstanceOf(IOException.class);
            assertThat(new String(log.read(positions.get(15), written.get(15).length()), StandardCharsets.UTF_8))
                    .isEqualTo(written.get(15));
        }
    }

    @Test
    void readingBackFindsAFlippedBitOnDisk() throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, e -> { })) {
            long position = log.append(text("payload-to-damage"));
            log.force();
            Path file = files(".log").get(0);
            byte[] content = Files.readAllBytes(file);
            content[content.length - 3] ^= 0x10;
            Files.write(file, content);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.read(position, "payload-to-damage".length()))
                    .isInstanceOf(IOException.class).hasMessageContaining("CRC");
        }
    }

    @Test
    void refusesAnEmptyRecord() throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, e -> { })) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.append(new byte[0]))
                    .isInstanceOf(IOException.class).hasMessageContaining("1 to");
        }
    }
}
