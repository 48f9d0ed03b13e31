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
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Without a key, someone who rewrites the whole tail can recompute it: keep the key outside the
 * machine, or the last hash that verify prints somewhere else, to close that gap.
 */
public final class AuditLog {

    /** The first entry's {@code prev}. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HASH_SUFFIX = Pattern.compile("^(\\{.*),\"hash\":\"([0-9a-f]{64})\"}$");

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

    /**
     * Appends one entry: {@code seq}, {@code ts}, then {@code fields} in their order, then
     * {@code alg}, {@code prev} and {@code hash}. The file is locked while it is read and written,
     * and forced to disk before this returns. Answers the entry's {@code seq}.
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
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("seq", lines.size() + 1);
                entry.put("ts", ts.toString());
                entry.putAll(fields);
                entry.put("alg", key == null ? "sha256" : "hmac-sha256");
                entry.put("prev", prev);
                String body = JSON.writeValueAsString(entry);
                String head = body.substring(0, body.length() - 1);
                String hash = digest(head, key);
                byte[] line = (head + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
                ch.position(ch.size());
                ch.write(ByteBuffer.wrap(line));
                ch.force(true);
                return lines.size() + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Recomputes the chain from the first line; stops at the first bad entry. */
    public AuditVerification verify() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
        String prev = GENESIS;
        int n = 0;
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
            prev = m.group(2);
        }
        return AuditVerification.good(n, prev);
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
