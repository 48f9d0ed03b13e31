package dev.plumb.deploy.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tamper-evident, append-only JSON-lines log. Every entry carries {@code seq} (its line number),
 * {@code prev} (the previous entry's hash; 64 zeros for the first) and, last on its line,
 * {@code hash}: the SHA-256 of the line's bytes before {@code ,"hash"}, or their HMAC-SHA256 under a
 * key ({@code PLUMB_AUDIT_KEY}) when one is given, which {@code alg} records. Editing an entry
 * breaks its hash; deleting, inserting or reordering entries breaks the next entry's {@code prev}.
 *
 * <p>Cutting entries off the end leaves a shorter chain that is still whole, so the last entry's
 * {@code seq} and {@code hash} are also kept outside the log, in its head file ({@code LOG.head},
 * {@link #headFile()}), replaced after each append (with a key, signed by it). Verify checks that the
 * log still reaches that entry with that hash, and append refuses a log that does not, so that a cut
 * is not papered over by the next entry. Without a key, someone who can write both files can still
 * rewrite the tail and its head: keep the key outside the machine, or the last hash that verify
 * prints somewhere else, to close that gap.
 */
public final class AuditLog {

    /** The first entry's {@code prev}. */
    public static final String GENESIS = "0".repeat(64);
    /** The {@code result} of an entry written before an apply touches its target (see {@link #begin}). */
    public static final String PENDING = "pending";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HASH_SUFFIX = Pattern.compile("^(\\{.*),\"hash\":\"([0-9a-f]{64})\"}$");
    private static final Pattern HEAD = Pattern.compile(
            "\\{\"seq\":([0-9]{1,9}),\"hash\":\"([0-9a-f]{64})\",\"alg\":\"(sha256|hmac-sha256)\"(?:,\"mac\":\"([0-9a-f]{64})\")?}\\s*");

    private final Path file;
    private final byte[] key;

    /** {@code key} may be null: then entries are hashed with SHA-256 instead of HMAC-SHA256. */
    public AuditLog(Path file, byte[] key) {
        this.file = file;
        this.key = key == null || key.length == 0 ? null : key.clone();
    }

    public Path file() {
        return file;
    }

    /** Where the last entry's {@code seq} and {@code hash} are kept, beside the log: {@code LOG.head}. */
    public Path headFile() {
        return file.resolveSibling(file.getFileName() + ".head");
    }

    /**
     * Appends one entry: {@code seq}, {@code ts}, then {@code fields} in their order, then
     * {@code alg}, {@code prev} and {@code hash}. The file is locked while it is read and written,
     * and forced to disk, then the head file is replaced, before this returns. A log that no longer
     * reaches the entry its head file records is refused (IllegalStateException). Answers the
     * entry's {@code seq}.
     */
    public int append(Map<String, Object> fields, Instant ts) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
                String prev = GENESIS;
                if (!lines.isEmpty()) {
                    Matcher m = HASH_SUFFIX.matcher(lines.get(lines.size() - 1));
                    if (!m.matches()) {
                        throw new IllegalStateException("the last line of " + file + " is not an audit entry; run plumb deploy audit verify");
                    }
                    prev = m.group(2);
                }
                List<String> hashes = lines.stream().map(HASH_SUFFIX::matcher).map(m -> m.matches() ? m.group(2) : "").toList();
                AuditVerification cut = checkHead(hashes, i -> i + 1, lines.size() + 1);
                if (cut != null) {
                    throw new IllegalStateException("will not append to " + file + ": " + cut.problem()
                            + "; run plumb deploy audit verify");
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("seq", lines.size() + 1);
                entry.put("ts", ts.toString());
                entry.putAll(fields);
                entry.put("alg", alg());
                entry.put("prev", prev);
                String body = JSON.writeValueAsString(entry);
                String head = body.substring(0, body.length() - 1);
                String hash = digest(head, key);
                byte[] line = (head + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
                ch.position(ch.size());
                ch.write(ByteBuffer.wrap(line));
                ch.force(true);
                writeHead(lines.size() + 1, hash);
                return lines.size() + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends the entry of an apply that is about to change its target, {@code "result":"pending"}:
     * once this returns the attempt is on disk, so the change cannot go unrecorded. Its outcome is a
     * second entry ({@link #complete}), since an entry cannot be edited without breaking the chain.
     */
    public int begin(Map<String, Object> fields, Instant ts) {
        Map<String, Object> entry = new LinkedHashMap<>(fields);
        entry.put("result", PENDING);
        return append(entry, ts);
    }

    /** Appends the outcome of the pending entry {@code pendingSeq}: {@code "completes":pendingSeq} and {@code result}. */
    public int complete(int pendingSeq, String result, Instant ts) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("completes", pendingSeq);
        entry.put("result", result);
        return append(entry, ts);
    }

    /**
     * Recomputes the chain from the first line, stopping at the first bad entry, then checks that
     * the log still reaches the entry its head file records.
     */
    public AuditVerification verify() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
        String prev = GENESIS;
        int n = 0;
        List<String> hashes = new ArrayList<>();
        List<Integer> entryLines = new ArrayList<>();
        Set<Integer> unfinished = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            n++;
            Matcher m = HASH_SUFFIX.matcher(text);
            if (!m.matches()) {
                return AuditVerification.bad(n - 1, line, "the line does not end with its \"hash\" (not an audit entry, or cut short)");
            }
            Map<String, Object> entry;
            try {
                entry = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (JsonProcessingException e) {
                return AuditVerification.bad(n - 1, line, "the line is not valid JSON: " + e.getOriginalMessage());
            }
            String alg = String.valueOf(entry.get("alg"));
            if (alg.equals("hmac-sha256") && key == null) {
                return AuditVerification.bad(n - 1, line, "the entry is signed with a key; set PLUMB_AUDIT_KEY to check it");
            }
            if (!alg.equals("hmac-sha256") && key != null) {
                return AuditVerification.bad(n - 1, line, "alg is " + alg + ", not hmac-sha256: the entry was not written with PLUMB_AUDIT_KEY");
            }
            String recomputed = digest(m.group(1), key);
            if (!recomputed.equals(m.group(2))) {
                return AuditVerification.bad(n - 1, line, "the entry's content does not match its hash (it was edited after it was written):"
                        + " recorded " + m.group(2).substring(0, 12) + "..., recomputed " + recomputed.substring(0, 12) + "...");
            }
            if (!prev.equals(entry.get("prev"))) {
                return AuditVerification.bad(n - 1, line, "prev " + abbreviate(entry.get("prev")) + " is not the hash of the entry before it ("
                        + abbreviate(prev) + "): an entry before this one was deleted, inserted or moved");
            }
            if (!String.valueOf(n).equals(String.valueOf(entry.get("seq")))) {
                return AuditVerification.bad(n - 1, line, "seq is " + entry.get("seq") + " where " + n + " was expected: entries were deleted, inserted or moved");
            }
            Object completes = entry.get("completes");
            if (completes != null && !(completes instanceof Integer c && unfinished.remove(c))) {
                return AuditVerification.bad(n - 1, line, "completes " + completes + ", which is not an earlier pending entry"
                        + " without an outcome");
            }
            if (PENDING.equals(entry.get("result"))) {
                unfinished.add(n);
            }
            prev = m.group(2);
            hashes.add(prev);
            entryLines.add(line);
        }
        AuditVerification head = checkHead(hashes, i -> entryLines.get(i), lines.size() + 1);
        return head != null ? head : AuditVerification.good(n, prev, List.copyOf(unfinished));
    }

    /**
     * Whether the entries (their hashes in order; {@code lineOf} gives entry i's line) still reach
     * the entry the head file records: null when they do, else what is wrong. Entries after it are
     * accepted: they were appended since (a crash between the two writes leaves the head one behind).
     */
    private AuditVerification checkHead(List<String> hashes, IntUnaryOperator lineOf, int endLine) {
        Path headFile = headFile();
        String text;
        try {
            text = Files.isRegularFile(headFile) ? Files.readString(headFile, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return AuditVerification.bad(hashes.size(), endLine, "cannot read the head file " + headFile + ": " + e.getMessage());
        }
        int n = hashes.size();
        if (text == null) {
            return n == 0 ? null : AuditVerification.bad(n, endLine, "there is no head file " + headFile + " (deleted, or the"
                    + " log is older than head files), so entries cut from the end of the log could not be detected");
        }
        Matcher m = HEAD.matcher(text);
        if (!m.matches()) {
            return AuditVerification.bad(n, endLine, "the head file " + headFile + " is not {\"seq\",\"hash\",\"alg\"} as"
                    + " plumb writes it");
        }
        int seq = Integer.parseInt(m.group(1));
        String hash = m.group(2);
        if (!m.group(3).equals(alg()) || key != null && !digest(headText(seq, hash), key).equals(m.group(4))) {
            return AuditVerification.bad(n, endLine, "the head file " + headFile + (key == null
                    ? " is signed with a key; set PLUMB_AUDIT_KEY to check it" : " is not signed with PLUMB_AUDIT_KEY"));
        }
        if (seq > n) {
            return AuditVerification.bad(n, endLine, "the log ends at entry " + n + " but its head file " + headFile
                    + " records entry " + seq + ": " + (seq - n == 1 ? "the last entry was" : "the last " + (seq - n)
                    + " entries were") + " cut from the end");
        }
        if (seq > 0 && !hashes.get(seq - 1).equals(hash)) {
            return AuditVerification.bad(seq - 1, lineOf.applyAsInt(seq - 1), "entry " + seq + " has hash "
                    + abbreviate(hashes.get(seq - 1)) + " but the head file " + headFile + " records " + abbreviate(hash)
                    + ": the log was rewritten from this entry or one before it");
        }
        return null;
    }

    /** Replaces the head file whole (written beside it, then moved), so that a crash leaves the old or the new one. */
    private void writeHead(int seq, String hash) throws IOException {
        String text = "{\"seq\":" + seq + ",\"hash\":\"" + hash + "\",\"alg\":\"" + alg() + "\""
                + (key == null ? "" : ",\"mac\":\"" + digest(headText(seq, hash), key) + "\"") + "}\n";
        Path headFile = headFile();
        Path next = headFile.resolveSibling(headFile.getFileName() + ".next");
        try (FileChannel ch = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(next, headFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What the head's mac signs: distinct from any entry's bytes, so an entry's hash cannot stand in for it. */
    private static String headText(int seq, String hash) {
        return "plumb-audit-head:" + seq + ":" + hash;
    }

    private String alg() {
        return key == null ? "sha256" : "hmac-sha256";
    }

    private static String abbreviate(Object hash) {
        String h = String.valueOf(hash);
        return h.length() > 12 ? h.substring(0, 12) + "..." : h;
    }

    private static String digest(String text, byte[] key) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (key == null) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
