package dev.plumb.deploy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    private AuditLog logOfThree(byte[] key) {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"), key);
        for (int i = 1; i <= 3; i++) {
            log.append(Map.of("actor", "alice", "result", "applied " + i), Instant.parse("2026-11-26T10:00:0" + i + "Z"));
        }
        return log;
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8));
    }

    private static String hashOf(String line) {
        return line.substring(line.length() - 66, line.length() - 2);
    }

    private void write(List<String> lines) throws Exception {
        Files.write(dir.resolve("audit.jsonl"), lines, StandardCharsets.UTF_8);
    }

    @Test
    void anUntouchedLogVerifiesAndEachEntryChainsToThePrevious() throws Exception {
        AuditLog log = logOfThree(null);

        AuditVerification v = log.verify();

        assertThat(v.ok()).isTrue();
        assertThat(v.goodEntries()).isEqualTo(3);
        List<String> lines = lines();
        assertThat(lines.get(0)).startsWith("{\"seq\":1,\"ts\":\"2026-11-26T10:00:01Z\",").contains("\"prev\":\"" + AuditLog.GENESIS + "\"");
        String firstHash = hashOf(lines.get(0));
        assertThat(lines.get(1)).contains("\"prev\":\"" + firstHash + "\"");
        assertThat(v.lastHash()).isEqualTo(hashOf(lines.get(2)));
    }

    @Test
    void anEditedEntryIsCaughtAtItsLine() throws Exception {
        AuditLog log = logOfThree(null);
        List<String> lines = lines();
        lines.set(1, lines.get(1).replace("alice", "mallory"));
        write(lines);

        AuditVerification v = log.verify();

        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(2);
        assertThat(v.goodEntries()).isEqualTo(1);
        assertThat(v.problem()).startsWith("the entry's content does not match its hash (it was edited after it was written)");
    }

    @Test
    void aDeletedEntryIsCaughtAtTheLineAfterTheGap() throws Exception {
        AuditLog log = logOfThree(null);
        List<String> lines = lines();
        lines.remove(1);
        write(lines);

        AuditVerification v = log.verify();

        assertThat(v.badLine()).isEqualTo(2);
        assertThat(v.problem()).contains("is not the hash of the entry before it", "deleted, inserted or moved");
    }

    @Test
    void reorderedEntriesAreCaught() throws Exception {
        AuditLog log = logOfThree(null);
        List<String> lines = lines();
        Collections.swap(lines, 1, 2);
        write(lines);

        AuditVerification v = log.verify();

        assertThat(v.badLine()).isEqualTo(2);
        assertThat(v.problem()).contains("deleted, inserted or moved");
    }

    @Test
    void anEditWithARecomputedHashStillBreaksTheNextEntrysLink() throws Exception {
        AuditLog log = logOfThree(null);
        List<String> lines = lines();
        // Rewrite entry 2 as a forger without the key would: new content, hash recomputed over it.
        Path forged = dir.resolve("forged.jsonl");
        AuditLog forger = new AuditLog(forged, null);
        forger.append(Map.of("actor", "alice", "result", "applied 1"), Instant.parse("2026-11-26T10:00:01Z"));
        forger.append(Map.of("actor", "mallory", "result", "applied 2"), Instant.parse("2026-11-26T10:00:02Z"));
        lines.set(1, Files.readAllLines(forged).get(1));
        write(lines);

        AuditVerification v = log.verify();

        assertThat(lines.get(0)).isEqualTo(Files.readAllLines(forged).get(0));
        assertThat(v.badLine()).isEqualTo(3);
    }

    @Test
    void withAKeyEntriesAreHmacSignedAndAPlainHashChainIsRefused() throws Exception {
        byte[] key = "s3cret-audit-key".getBytes(StandardCharsets.UTF_8);
        AuditLog signed = logOfThree(key);

        assertThat(signed.verify().ok()).isTrue();
        assertThat(lines().get(0)).contains("\"alg\":\"hmac-sha256\"");
        assertThat(new AuditLog(signed.file(), null).verify().problem()).contains("set PLUMB_AUDIT_KEY");
        assertThat(new AuditLog(signed.file(), "other".getBytes(StandardCharsets.UTF_8)).verify().badLine()).isEqualTo(1);

        Files.delete(signed.file());
        Files.delete(signed.headFile());
        AuditLog plain = logOfThree(null);
        assertThat(new AuditLog(plain.file(), key).verify().problem()).contains("not written with PLUMB_AUDIT_KEY");
    }

    @Test
    void aLineCutShortIsNamed() throws Exception {
        AuditLog log = logOfThree(null);
        List<String> lines = lines();
        lines.set(2, lines.get(2).substring(0, 40));
        write(lines);

        assertThat(log.verify().badLine()).isEqualTo(3);
        assertThat(log.verify().problem()).contains("does not end with its \"hash\"");
    }

    @Test
    void cuttingEntriesOffTheEndIsCaughtByTheHeadFileAndNotPaperedOverByTheNextAppend() throws Exception {
        AuditLog log = logOfThree(null);
        String head = Files.readString(log.headFile());
        List<String> lines = lines();
        write(lines.subList(0, 1));

        AuditVerification v = log.verify();

        assertThat(head).startsWith("{\"seq\":3,\"hash\":\"" + hashOf(lines.get(2)));
        assertThat(v.ok()).isFalse();
        assertThat(v.goodEntries()).isEqualTo(1);
        assertThat(v.badLine()).isEqualTo(2);
        assertThat(v.problem()).isEqualTo("the log ends at entry 1 but its head file " + log.headFile()
                + " records entry 3: the last 2 entries were cut from the end");
        assertThatThrownBy(() -> log.append(Map.of("actor", "mallory"), Instant.parse("2026-11-26T10:00:04Z")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("will not append to").hasMessageContaining("cut");
        assertThat(lines()).hasSize(1);
        assertThat(Files.readString(log.headFile())).isEqualTo(head);
    }

    @Test
    void aTailRewrittenWithRecomputedHashesDiffersFromTheHeadFile() throws Exception {
        AuditLog log = logOfThree(null);
        AuditLog forger = new AuditLog(dir.resolve("forged.jsonl"), null);
        forger.append(Map.of("actor", "alice", "result", "applied 1"), Instant.parse("2026-11-26T10:00:01Z"));
        forger.append(Map.of("actor", "alice", "result", "applied 2"), Instant.parse("2026-11-26T10:00:02Z"));
        forger.append(Map.of("actor", "mallory", "result", "applied 3"), Instant.parse("2026-11-26T10:00:03Z"));
        write(Files.readAllLines(forger.file()));

        AuditVerification v = log.verify();

        assertThat(v.badLine()).isEqualTo(3);
        assertThat(v.goodEntries()).isEqualTo(2);
        assertThat(v.problem()).contains("entry 3 has hash", "but the head file " + log.headFile() + " records",
                "the log was rewritten from this entry or one before it");
    }

    @Test
    void aMissingHeadFileIsReportedAndBlocksAppending() throws Exception {
        AuditLog log = logOfThree(null);
        Files.delete(log.headFile());

        assertThat(log.verify().problem()).startsWith("there is no head file " + log.headFile());
        assertThat(log.verify().badLine()).isEqualTo(4);
        assertThatThrownBy(() -> log.append(Map.of("actor", "alice"), Instant.parse("2026-11-26T10:00:04Z")))
                .hasMessageContaining("there is no head file");
    }

    @Test
    void withAKeyTheHeadFileIsSignedSoACutCannotBeCoveredByRewritingIt() throws Exception {
        byte[] key = "s3cret-audit-key".getBytes(StandardCharsets.UTF_8);
        AuditLog log = logOfThree(key);
        List<String> lines = lines();
        write(lines.subList(0, 2));
        String second = hashOf(lines.get(1));
        Files.writeString(log.headFile(), "{\"seq\":2,\"hash\":\"" + second + "\",\"alg\":\"hmac-sha256\",\"mac\":\""
                + second + "\"}\n");

        assertThat(Files.readString(log.headFile())).contains("\"alg\":\"hmac-sha256\",\"mac\":\"");
        assertThat(log.verify().problem()).isEqualTo("the head file " + log.headFile() + " is not signed with PLUMB_AUDIT_KEY");
        assertThat(new AuditLog(log.file(), null).verify().ok()).isFalse();
    }

    @Test
    void aHeadFileOneEntryBehindIsWhatACrashBetweenTheTwoWritesLeavesAndIsAccepted() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"), null);
        log.append(Map.of("result", "applied 1"), Instant.parse("2026-11-26T10:00:01Z"));
        String afterFirst = Files.readString(log.headFile());
        log.append(Map.of("result", "applied 2"), Instant.parse("2026-11-26T10:00:02Z"));
        Files.writeString(log.headFile(), afterFirst);

        assertThat(log.verify().ok()).isTrue();
        assertThat(log.verify().goodEntries()).isEqualTo(2);
        assertThat(log.append(Map.of("result", "applied 3"), Instant.parse("2026-11-26T10:00:03Z"))).isEqualTo(3);
        assertThat(Files.readString(log.headFile())).startsWith("{\"seq\":3,");
        assertThat(log.headFile().resolveSibling("audit.jsonl.head.next")).doesNotExist();
    }
}
