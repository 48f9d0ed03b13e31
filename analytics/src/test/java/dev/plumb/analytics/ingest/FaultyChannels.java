package dev.plumb.analytics.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The ingest log's segment files on a disk that fails when a test says so: a write that stops
 * part way as on a full disk, a failed fsync, a failed truncation. Every other call goes to the
 * real file.
 */
final class FaultyChannels implements IngestLog.Channels {
    /** Bytes writes may still put on disk before they fail; negative for no limit. */
    volatile long writableBytes = -1;
    /** How many of the next forces fail. */
    volatile int failingForces;
    volatile boolean failTruncate;

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return new Faulty(FileChannel.open(file, options));
    }

    private final class Faulty extends FileChannel {
        private final FileChannel real;

        Faulty(FileChannel real) {
            this.real = real;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long left = writableBytes;
            if (left < 0) {
                return real.write(src);
            }
            if (left == 0) {
                throw new IOException("No space left on device");
            }
            // Part of the buffer goes to disk, as a write cut short by a full disk leaves it.
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) Math.min(left, part.remaining()));
            int written = real.write(part);
            src.position(src.position() + written);
            writableBytes = left - written;
            return written;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failingForces > 0) {
                failingForces--;
                throw new IOException("Input/output error (fsync)");
            }
            real.force(metaData);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (failTruncate) {
                throw new IOException("Input/output error (truncate)");
            }
            real.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("the ingest log writes one buffer at a time");
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new UnsupportedOperationException("the ingest log appends at the channel's position");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
