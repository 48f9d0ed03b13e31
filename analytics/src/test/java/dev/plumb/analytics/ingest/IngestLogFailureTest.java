package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write or fsync of the ingest log that fails: the log is cut back to its last forced end, so
 * that refused records are never replayed and a full disk never reads as corruption; when even
 * that fails, the log refuses everything after.
 */
class IngestLogFailureTest {
    private static final long SEGMENT = 1 << 20;

    @TempDir
    Path dir;

    private final FaultyChannels disk = new FaultyChannels();

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private IngestLog.Replay replayed(List<String> into) throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, e -> into.add(new String(e.payload(), StandardCharsets.UTF_8)))) {
            return log.replay();
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void neverReplaysRecordsWhoseForceFailed() throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, SEGMENT, disk, e -> { })) {
            log.append(text("acknowledged"));
            log.force();
            log.append(text("refused-1"));
            log.append(text("refused-2"));
            disk.failingForces = 1;
            assertThatThrownBy(log::force).isInstanceOf(IOException.class).hasMessageContaining("fsync");
            long next = log.append(text("acknowledged-later"));
            log.force();
            assertThat(next).isEqualTo(2L * IngestLog.HEADER + "acknowledged".length() + "acknowledged-later".length());
            assertThat(log.failure()).isEmpty();
        }
        List<String> seen = new ArrayList<>();
        assertThat(replayed(seen).problem()).isEmpty();
        assertThat(seen).containsExactly("acknowledged", "acknowledged-later");
    }

    @Test
    void aWriteCutShortByAFullDiskLeavesNoBytesThatReadAsCorruption() throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, SEGMENT, disk, e -> { })) {
            log.append(text("before"));
            log.force();
            disk.writableBytes = 5; // the header and one byte of the next record, then the disk is full
            assertThatThrownBy(() -> log.append(text("does-not-fit"))).hasMessageContaining("No space left");
            disk.writableBytes = -1;
            long position = log.append(text("after"));
            log.force();
            // Positions stay true: the record reads back where its position says.
            assertThat(new String(log.read(position, 5), StandardCharsets.UTF_8)).isEqualTo("after");
        }
        List<String> seen = new ArrayList<>();
        assertThat(replayed(seen).problem()).isEmpty();
        assertThat(seen).containsExactly("before", "after");
        assertThat(files()).noneMatch(f -> f.endsWith(".corrupt"));
    }

    @Test
    void aFailureAfterASegmentRolledOverDropsTheNewSegment() throws IOException {
        List<Long> positions = new ArrayList<>();
        try (IngestLog log = IngestLog.open(dir, 0, 64, disk, e -> { })) {
            positions.add(log.append(text("first-record-of-the-log-padded-to-forty")));
            log.force();
            List<String> forcedFiles = files();
            // Records of one group that fill the segment and start another, then an fsync fails.
            for (int i = 0; i < 3; i++) {
                log.append(text("refused-record-" + i + "-padded-to-be-long-enough"));
            }
            assertThat(files()).hasSizeGreaterThan(forcedFiles.size());
            disk.failingForces = 1;
            assertThatThrownBy(log::force).isInstanceOf(IOException.class);
            assertThat(files()).isEqualTo(forcedFiles);
            assertThat(log.end()).isEqualTo(positions.get(0));
            positions.add(log.append(text("second")));
            log.force();
        }
        List<String> seen = new ArrayList<>();
        assertThat(replayed(seen).problem()).isEmpty();
        assertThat(seen).containsExactly("first-record-of-the-log-padded-to-forty", "second");
    }

    @Test
    void refusesEveryLaterRecordWhenItCannotCutBack() throws IOException {
        try (IngestLog log = IngestLog.open(dir, 0, SEGMENT, disk, e -> { })) {
            log.append(text("acknowledged"));
            log.force();
            log.append(text("refused"));
            disk.failingForces = 1;
            disk.failTruncate = true;
            assertThatThrownBy(log::force).isInstanceOf(IOException.class).hasMessageContaining("fsync");
            disk.failTruncate = false;

            assertThat(log.failure()).hasValueSatisfying(f -> assertThat(f.getMessage())
                    .contains("takes no more records", "fsync", "truncate", "position " + (IngestLog.HEADER + 12)));
            assertThatThrownBy(() -> log.append(text("next"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("takes no more records");
            assertThatThrownBy(log::force).isInstanceOf(IOException.class)
                    .hasMessageContaining("takes no more records");
        }
    }
}
