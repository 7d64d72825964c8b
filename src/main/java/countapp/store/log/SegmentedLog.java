package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One partition's append-only log: numbered segment files {@code <seq>.log} in one folder, each rolled at
 * {@code segmentBytes}. Frames (see {@link Frames}) never span segments.
 *
 * <p>Threads: {@link #append} runs on the partition's writer only. {@link #sync} runs on the store's
 * syncer thread, so an fsync never stalls writes; it and the segment roll take this object's lock, the one
 * lock here (held for an fsync at most, never by a write). No thread that touches the segment's channel
 * may be interrupted: an interrupt closes a {@link FileChannel} for every user. Readers ({@link #read}) use their own file
 * handles and stop at an end position taken when they start, so they never see a frame being written.
 */
final class SegmentedLog implements AutoCloseable {
    static final String SUFFIX = ".log";

    /** A place in the log: a segment and a byte offset in it. */
    record Position(long segment, long offset) implements Comparable<Position> {
        static final Position START = new Position(1, 0);

        @Override
        public int compareTo(Position o) {
            return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
        }

        @Override
        public String toString() {
            return segment + ":" + offset;
        }

        static Position parse(String s) {
            int colon = s.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("not a log position: " + s);
            }
            return new Position(Long.parseLong(s.substring(0, colon)), Long.parseLong(s.substring(colon + 1)));
        }
    }

    /** Called for each intact frame while reading: its kind, a reader over its payload, and where it ends. */
    interface FrameVisitor {
        /** Return false to stop reading. */
        boolean frame(byte kind, ByteSource payload, Position next) throws IOException;
    }

    private final Path dir;
    private final long segmentBytes;
    /** Guarded by this: the segment being appended to. */
    private FileChannel current;
    private volatile long currentSeq;
    /** Bytes in the current segment; written by the writer, read by readers and the syncer. */
    private volatile long currentSize;
    /** Whether something was appended since the last fsync; set by the writer, cleared by the syncer. */
    private volatile boolean dirty;

    private SegmentedLog(Path dir, long segmentBytes, long seq, FileChannel current, long size) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.currentSeq = seq;
        this.current = current;
        this.currentSize = size;
    }

    /**
     * Opens the log in {@code dir}, replaying every frame from {@code from} through {@code visitor}. A torn
     * or corrupt frame at the end of the last segment (a crash while writing it, so never acknowledged) is
     * cut off; one anywhere else means damaged data, and the open fails rather than lose it silently.
     */
    static SegmentedLog open(Path dir, long segmentBytes, Position from, FrameVisitor visitor) throws IOException {
        Files.createDirectories(dir);
        List<Long> seqs = segmentNumbers(dir);
        if (seqs.isEmpty()) {
            FileChannel ch = FileChannel.open(file(dir, 1), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            syncDirectory(dir);
            return new SegmentedLog(dir, segmentBytes, 1, ch, 0);
        }
        for (int i = 0; i < seqs.size(); i++) {
            long seq = seqs.get(i);
            if (seq < from.segment()) {
                continue;
            }
            boolean last = i == seqs.size() - 1;
            long start = seq == from.segment() ? from.offset() : 0;
            long intact = readSegment(dir, seq, start, Long.MAX_VALUE, visitor, !last);
            if (last) {
                long size = Files.size(file(dir, seq));
                FileChannel ch = FileChannel.open(file(dir, seq), StandardOpenOption.WRITE);
                if (intact < size) {
                    ch.truncate(intact);
                    ch.force(true);
                }
                return new SegmentedLog(dir, segmentBytes, seq, ch, intact);
            }
        }
        throw new IOException("log position " + from + " is past the last segment in " + dir);
    }

    private static List<Long> segmentNumbers(Path dir) throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    try {
                        seqs.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                    } catch (NumberFormatException e) {
                        // not a segment
                    }
                }
            });
        }
        seqs.sort(null);
        return seqs;
    }

    static Path file(Path dir, long seq) {
        return dir.resolve(String.format("%016d", seq) + SUFFIX);
    }

    /**
     * Visits the intact frames of one segment from {@code offset} up to {@code limit}; returns the offset
     * after the last intact frame. With {@code strict}, a damaged frame throws instead of ending the read.
     */
    private static long readSegment(Path dir, long seq, long offset, long limit, FrameVisitor visitor, boolean strict)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file(dir, seq), StandardOpenOption.READ)) {
            long end = Math.min(limit, ch.size());
            byte[] buf = new byte[1 << 20];
            long pos = offset;
            while (pos < end) {
                if (end - pos < Frames.HEADER) {
                    return damaged(strict, dir, seq, pos, "a truncated frame header");
                }
                readFully(ch, buf, 0, Frames.HEADER, pos);
                int length = Frames.intLE(buf, 0);
                int crc = Frames.intLE(buf, 4);
                if (length <= 0 || length > Frames.MAX_PAYLOAD || pos + Frames.HEADER + length > end) {
                    return damaged(strict, dir, seq, pos, "a frame length of " + length);
                }
                if (buf.length < length) {
                    buf = new byte[Math.max(length, buf.length * 2)];
                }
                readFully(ch, buf, 0, length, pos + Frames.HEADER);
                if (!Frames.crcMatches(buf, 0, length, crc)) {
                    return damaged(strict, dir, seq, pos, "a checksum mismatch");
                }
                long next = pos + Frames.HEADER + length;
                ByteSource payload = new ByteSource(buf, 1, length);
                if (!visitor.frame(buf[0], payload, new Position(seq, next))) {
                    return next;
                }
                pos = next;
            }
            return pos;
        }
    }

    private static long damaged(boolean strict, Path dir, long seq, long pos, String what) throws IOException {
        if (strict) {
            throw new IOException("damaged log " + file(dir, seq) + " at byte " + pos + ": " + what);
        }
        return pos;
    }

    private static void readFully(FileChannel ch, byte[] buf, int off, int len, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, position + bb.position() - off) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** The end of the log: everything before it is whole frames. */
    Position end() {
        return new Position(currentSeq, currentSize);
    }

    /**
     * Appends one or more whole frames. Either all bytes are written (to the OS: they survive a crash of
     * this process), or the segment is cut back to where it was and the error is thrown, so a failed write
     * (a full disk) leaves no partial frame behind.
     */
    void append(byte[] bytes, int length) throws IOException {
        if (currentSize > 0 && currentSize + length > segmentBytes) {
            roll();
        }
        long start = currentSize;
        FileChannel ch = current;
        ByteBuffer bb = ByteBuffer.wrap(bytes, 0, length);
        try {
            while (bb.hasRemaining()) {
                ch.write(bb, start + bb.position());
            }
        } catch (IOException e) {
            try {
                ch.truncate(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        currentSize = start + length;
        dirty = true;
    }

    /** Makes every appended frame durable (fsync). Called by the syncer, or by the writer with worker_persist 0. */
    synchronized void sync() throws IOException {
        if (!dirty || current == null) {
            return;
        }
        dirty = false;
        try {
            current.force(false);
        } catch (IOException e) {
            dirty = true;
            throw e;
        }
    }

    /** Seals the current segment now if it holds anything, so that a compaction may rewrite it. Writer only. */
    void seal() throws IOException {
        if (currentSize > 0) {
            roll();
        }
    }

    /** Seals the current segment (durably) and starts the next. */
    private synchronized void roll() throws IOException {
        current.force(false);
        dirty = false;
        FileChannel next = FileChannel.open(file(dir, currentSeq + 1), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        syncDirectory(dir);
        current.close();
        current = next;
        currentSeq++;
        currentSize = 0;
    }

    /**
     * Visits the intact frames from {@code from} up to {@code until} (an {@link #end} taken earlier), with
     * file handles of its own: safe beside the writer.
     */
    void read(Position from, Position until, FrameVisitor visitor) throws IOException {
        boolean[] stopped = {false};
        FrameVisitor stopping = (kind, payload, next) -> {
            boolean go = visitor.frame(kind, payload, next);
            stopped[0] = !go;
            return go;
        };
        for (long seq = from.segment(); seq <= until.segment() && !stopped[0]; seq++) {
            long start = seq == from.segment() ? from.offset() : 0;
            long limit = seq == until.segment() ? until.offset() : Long.MAX_VALUE;
            if (start < limit && Files.exists(file(dir, seq))) {
                readSegment(dir, seq, start, limit, stopping, true);
            }
        }
    }

    /** Bytes of every segment file. */
    long diskBytes() throws IOException {
        long total = 0;
        for (long seq : segmentNumbers(dir)) {
            total += Files.size(file(dir, seq));
        }
        return total;
    }

    @Override
    public synchronized void close() throws IOException {
        if (current != null) {
            try {
                current.force(false);
            } finally {
                current.close();
                current = null;
            }
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some filesystems cannot open a folder for fsync; the file contents are synced either way.
            if (!(e.getMessage() != null && e.getMessage().contains("Is a directory"))) {
                throw e;
            }
        }
    }
}
