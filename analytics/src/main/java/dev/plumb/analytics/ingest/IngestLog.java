package dev.plumb.analytics.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's write-ahead log: an append-only sequence of records in segment files
 * ({@code <position>.log}, named by the log position of their first byte). A record is a
 * 4-byte payload length, the payload's CRC32C, and the payload. A record's position is the log
 * position just after it, so positions only grow, and "everything up to position p" names a
 * whole number of records.
 *
 * <p>The writer acknowledges a batch once its record is {@link #force() forced} to disk, and
 * records in DuckDB, in the same transaction as the rows, the position it has loaded up to.
 * At open, {@link #open} hands back every record after that position, and reads nothing before
 * it (segments wholly below it are skipped, and the scan of the one that holds it starts there),
 * so damage to records already loaded stops nothing; segments wholly at or below it are deleted
 * by {@link #release}.
 *
 * <p>The write the process died in is cut off: at the end of the last segment, a record cut
 * short, or one whose CRC does not match with nothing but zeros after it (the file grew before
 * its data reached the disk). Its fsync had not returned, so it was never acknowledged. Any other
 * broken record (a CRC mismatch with data after it, a bad length, anything broken in a closed
 * segment) is damage to acknowledged records: the replay stops there, the error is logged with
 * the file and offset, and that segment and any later ones are renamed {@code .corrupt} so that
 * they are kept for inspection but never replayed into later records.
 *
 * <p>A failed {@link #append} or {@link #force} cuts the log back to where the last successful
 * force left it, so that records whose batches are then refused are never replayed, and a write
 * cut short by a full disk does not later read as corruption. If even that cut fails, the log
 * refuses every later append and force ({@link #failure()}) rather than write after bytes of
 * unknown state. Appends and forces come from one thread; reads from one other.
 */
final class IngestLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLog.class);
    static final int HEADER = 8;
    /** Segments are closed at this size so that applied ones can be deleted whole. */
    static final long SEGMENT_BYTES = 64L << 20;
    /** Larger payloads are refused at append and treated as corruption at replay. */
    static final int MAX_RECORD = 256 << 20;
    private static final String SUFFIX = ".log";

    /** One record handed back at open. */
    record Entry(long position, byte[] payload) {
    }

    /** What {@link #open} found: records replayed, and the problem that stopped it early, if any. */
    record Replay(long records, long bytes, Optional<String> problem) {
    }

    /** Receives the records to replay, in order. */
    @FunctionalInterface
    interface Replayer {
        void accept(Entry entry) throws IOException;
    }

    /** Opens the segment files the log writes: {@code FileChannel::open}, or a test's channel that fails on demand. */
    @FunctionalInterface
    interface Channels {
        FileChannel open(Path file, OpenOption... options) throws IOException;
    }

    private final Path dir;
    private final long segmentBytes;
    private final Channels channels;
    private final List<Long> segments = new ArrayList<>();
    private final Replay replay;
    private FileChannel active;
    private long activeBase;
    // written by the log thread only; read by the loader (retainedBytes)
    private volatile long end;
    /** The end as of the last successful force: what a failed append or force is cut back to. */
    private long forced;
    /** Set once a failed write could not be cut back; every later append and force fails with it. */
    private volatile IOException failure;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    // used by the one thread that reads records back (read)
    private FileChannel reading;
    private long readingBase = -1;
    private final CRC32C readCrc = new CRC32C();
    private final ByteBuffer readHeader = ByteBuffer.allocate(HEADER);

    private IngestLog(Path dir, long segmentBytes, long applied, Channels channels, Replayer replayer)
            throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.channels = channels;
        Files.createDirectories(dir);
        List<Long> found = listSegments();
        // Segments wholly at or below the applied position are kept (to be released) but not
        // read: a bad bit in a record already loaded must not stop the replay of later ones.
        int first = 0;
        while (first + 1 < found.size() && found.get(first + 1) <= applied) {
            first++;
        }
        segments.addAll(found.subList(0, first));
        long valid = applied;
        long records = 0;
        long bytes = 0;
        String problem = null;
        for (int k = first; k < found.size() && problem == null; k++) {
            long base = found.get(k);
            Path file = segment(base);
            if (base > valid && k > first) {
                problem = String.format("ingest log segment %s starts at position %d but the one before ends at %d;"
                        + " records from %d on are not replayed", file, base, valid, base);
                quarantine(found.subList(k, found.size()));
                break;
            }
            boolean last = k == found.size() - 1;
            // A position is a record's end, so the applied one is where the next record starts.
            long offset = Math.max(0, applied - base);
            boolean torn = false;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                while (offset < size && problem == null && !torn) {
                    long remaining = size - offset;
                    int length = 0;
                    int expected = 0;
                    if (remaining >= HEADER) {
                        readHeader.clear();
                        readFully(channel, readHeader, offset);
                        length = readHeader.getInt(0);
                        expected = readHeader.getInt(4);
                    }
                    boolean plausible = remaining >= HEADER && length > 0 && length <= MAX_RECORD;
                    if (plausible && length <= remaining - HEADER) {
                        byte[] payload = new byte[length];
                        readFully(channel, ByteBuffer.wrap(payload), offset + HEADER);
                        crc.reset();
                        crc.update(payload, 0, length);
                        if ((int) crc.getValue() == expected) {
                            offset += HEADER + length;
                            replayer.accept(new Entry(base + offset, payload));
                            records++;
                            bytes += HEADER + length;
                            continue;
                        }
                    }
                    // A broken record with nothing but zeros after where it ends, at the end of the
                    // last segment, is the write the process died in: fsync had not returned, so it
                    // was never acknowledged. Anything else is damage to acknowledged records.
                    long reach = remaining < HEADER ? size : plausible ? Math.min(size, offset + HEADER + length) : offset;
                    torn = last && zerosFrom(channel, reach, size);
                    if (!torn) {
                        problem = String.format("ingest log %s: %s in the record at offset %d (position %d); replay"
                                + " stops there and %s and any later segment are kept as .corrupt", file,
                                plausible && length <= remaining - HEADER ? "CRC mismatch"
                                        : remaining < HEADER ? "a header cut short"
                                        : "a length of " + length + " bytes (" + (remaining - HEADER) + " follow)",
                                offset, base + offset, file.getFileName());
                    }
                }
            }
            // Appends go on from the last intact record: the ones before a broken record were replayed.
            valid = Math.max(valid, base + offset);
            if (problem != null) {
                quarantine(found.subList(k, found.size()));
                break;
            }
            if (torn) {
                LOG.warn("ingest log {}: the record at offset {} is cut short or half written (the process stopped"
                        + " while writing it, before acknowledging it): cut off", file, offset);
                truncate(file, offset);
            }
            segments.add(base);
        }
        if (problem != null) {
            LOG.error(problem);
        }
        this.replay = new Replay(records, bytes, Optional.ofNullable(problem));
        this.end = valid;
        this.forced = valid;
        // Appends always go to a new segment: the last one may have been cut, and a fresh file
        // keeps "base + offset" true without reopening a file of unknown state.
        startSegment(end);
    }

    /**
     * Opens the log in {@code dir}, handing {@code replayer} every intact record after
     * {@code applied}, in order, before it returns.
     */
    static IngestLog open(Path dir, long applied, Replayer replayer) throws IOException {
        return open(dir, applied, SEGMENT_BYTES, FileChannel::open, replayer);
    }

    /** {@link #open} with a smaller segment size, for tests of rotation and release. */
    static IngestLog open(Path dir, long applied, long segmentBytes, Replayer replayer) throws IOException {
        return open(dir, applied, segmentBytes, FileChannel::open, replayer);
    }

    /** {@link #open} writing through {@code channels}, for tests of failed writes and forces. */
    static IngestLog open(Path dir, long applied, long segmentBytes, Channels channels, Replayer replayer)
            throws IOException {
        return new IngestLog(dir, segmentBytes, applied, channels, replayer);
    }

    Replay replay() {
        return replay;
    }

    /**
     * Writes one record (not yet forced) and answers its position. When it fails, every record
     * appended since the last {@link #force} is gone too: the caller refuses them all.
     */
    long append(byte[] payload) throws IOException {
        checkUsable();
        try {
            if (payload.length == 0 || payload.length > MAX_RECORD) {
                throw new IOException("an ingest log record must hold 1 to " + MAX_RECORD + " bytes, not "
                        + payload.length);
            }
            if (end - activeBase >= segmentBytes) {
                active.force(false);
                active.close();
                startSegment(end);
            }
            int size = HEADER + payload.length;
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
            }
            crc.reset();
            crc.update(payload, 0, payload.length);
            buffer.clear();
            buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
            while (buffer.hasRemaining()) {
                active.write(buffer);
            }
            end += size;
            return end;
        } catch (IOException | RuntimeException e) {
            cutBack(e);
            throw e;
        }
    }

    /**
     * Reads back the record of {@code length} bytes that {@link #append} placed before
     * {@code position}, checking its length and CRC. One thread at a time may read; the record
     * must not be released yet.
     */
    byte[] read(long position, int length) throws IOException {
        long start = position - length - HEADER;
        long base;
        synchronized (segments) {
            int i = segments.size() - 1;
            while (i >= 0 && segments.get(i) > start) {
                i--;
            }
            if (i < 0) {
                throw new IOException("no ingest log segment holds position " + position + " any more");
            }
            base = segments.get(i);
        }
        if (base != readingBase) {
            if (reading != null) {
                reading.close();
            }
            reading = FileChannel.open(segment(base), StandardOpenOption.READ);
            readingBase = base;
        }
        // The header and the payload each straight into their own buffer: the payload array is
        // what the caller gets, without a copy.
        long at = start - base;
        readHeader.clear();
        byte[] payload = new byte[length];
        if (!readFully(reading, readHeader, at) || !readFully(reading, ByteBuffer.wrap(payload), at + HEADER)) {
            throw new IOException("ingest log segment " + segment(base) + " ends before position " + position);
        }
        int stored = readHeader.getInt(0);
        int storedCrc = readHeader.getInt(4);
        readCrc.reset();
        readCrc.update(payload, 0, length);
        if (stored != length || storedCrc != (int) readCrc.getValue()) {
            throw new IOException("the ingest log record before position " + position + " in " + segment(base)
                    + " does not read back as written (length " + stored + " for " + length + ", or a CRC mismatch)");
        }
        return payload;
    }

    /** Fills {@code into} from {@code at} on; false if the file ends first. */
    private static boolean readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, at + into.position()) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean zerosFrom(FileChannel channel, long from, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
        for (long at = from; at < size; ) {
            chunk.clear();
            int n = channel.read(chunk, at);
            if (n < 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += n;
        }
        return true;
    }

    /**
     * Makes every appended record durable. When it fails, those records are cut off: the caller
     * refuses them, and they are never replayed.
     */
    void force() throws IOException {
        checkUsable();
        try {
            active.force(false);
        } catch (IOException | RuntimeException e) {
            cutBack(e);
            throw e;
        }
        forced = end;
    }

    /** Why the log takes no more records (a failed write it could not cut back), if so. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    private void checkUsable() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    /**
     * Cuts the log back to {@link #forced} after {@code cause} failed an append or a force: drops
     * the segments started since, truncates the one that holds that position and appends there
     * next. Bytes of a write cut short (a full disk) go too, so they never read as corruption. If
     * this fails as well, the log is {@link #failure() failed}.
     */
    private void cutBack(Exception cause) {
        long to = forced;
        try {
            if (active != null) {
                try {
                    active.close();
                } catch (IOException e) {
                    cause.addSuppressed(e);
                }
            }
            List<Long> dropped = new ArrayList<>();
            long base;
            synchronized (segments) {
                while (segments.size() > 1 && segments.get(segments.size() - 1) > to) {
                    dropped.add(segments.remove(segments.size() - 1));
                }
                base = segments.get(segments.size() - 1);
            }
            for (long b : dropped) {
                Files.deleteIfExists(segment(b));
            }
            FileChannel channel = channels.open(segment(base), StandardOpenOption.WRITE);
            try {
                channel.truncate(to - base);
                channel.position(to - base);
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            active = channel;
            activeBase = base;
            end = to;
            if (!dropped.isEmpty()) {
                syncDirectory();
            }
            LOG.warn("ingest log: writing or forcing records failed ({}); cut back to position {}, the end of the"
                    + " last forced record, so that the refused records are never replayed", cause.toString(), to);
        } catch (IOException | RuntimeException e) {
            IOException failed = new IOException(String.format("the ingest log in %s takes no more records: a write"
                    + " or force failed (%s) and cutting the log back to position %d, the end of the last forced"
                    + " record, failed too (%s); free or fix the disk and restart", dir, cause, to, e), e);
            failed.addSuppressed(cause);
            failure = failed;
            LOG.error(failed.getMessage(), failed);
        }
    }

    /** The position after the last appended record. */
    long end() {
        return end;
    }

    /** Deletes the segments whose every record is at or below {@code applied} (never the one being written). */
    void release(long applied) throws IOException {
        // The loader releases while the log thread may start a segment: both go through the lock.
        synchronized (segments) {
            while (segments.size() > 1 && segments.get(1) <= applied) {
                Files.deleteIfExists(segment(segments.remove(0)));
            }
        }
    }

    /** Bytes on disk in segments not yet released. */
    long retainedBytes() {
        synchronized (segments) {
            return segments.isEmpty() ? 0 : end - segments.get(0);
        }
    }

    private void startSegment(long base) throws IOException {
        Path file = segment(base);
        active = channels.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        activeBase = base;
        synchronized (segments) {
            if (segments.isEmpty() || segments.get(segments.size() - 1) != base) {
                segments.add(base);
            }
        }
        syncDirectory();
    }

    /** A new file's name is durable only once its directory is. */
    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the data itself is still forced.
            LOG.debug("cannot force directory {}: {}", dir, e.getMessage());
        }
    }

    private Path segment(long base) {
        return dir.resolve(String.format("%020d%s", base, SUFFIX));
    }

    private List<Long> listSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && n.length() == 20 + SUFFIX.length())
                    .map(n -> Long.parseLong(n.substring(0, 20)))
                    .sorted()
                    .toList();
        }
    }

    private void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    private void quarantine(List<Long> bases) throws IOException {
        for (long base : bases) {
            Path file = segment(base);
            Files.move(file, file.resolveSibling(file.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() throws IOException {
        if (reading != null) {
            reading.close();
        }
        if (active != null && active.isOpen()) {
            if (failure == null) {
                active.force(false);
            }
            active.close();
        }
    }
}
