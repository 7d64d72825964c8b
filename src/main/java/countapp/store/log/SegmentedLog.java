package countapp.store.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's append-only log: numbered segment files in one folder (see {@link SegmentFiles}), each
 * rolled at {@code segmentBytes}. Frames (see {@link Frames}) never span segments.
 *
 * <p>Threads: {@link #append} and the roll run on the partition's writer only (an event loop): the roll
 * does no blocking I/O there. The next segment is created and its folder entry synced ahead of need on the
 * store's I/O executor ({@code io}), and the sealed segment's fsync and close are handed to that executor
 * (in order, so whatever is queued behind them, a snapshot, sees them done). {@link #sync} runs on the
 * syncer. {@link #current}, {@link #prepared} and {@link #files} are guarded by this object's lock, held only
 * to swap or fsync a channel; {@link #append} reads {@link #current} under it once per call and writes to
 * that channel without it (a roll, the one thing that replaces it, runs on the same thread). No thread that
 * touches a segment's channel may be interrupted: an interrupt closes a {@link FileChannel} for every user.
 * Readers ({@link #read}) use their own file handles and stop at an end position taken when they start, so
 * they never see a frame being written. A compaction replaces sealed segments by new generations
 * ({@link #swapIn}) except where a scan pinned them.
 */
final class SegmentedLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);
    static final String SUFFIX = SegmentFiles.SUFFIX;

    private final Path dir;
    private final long segmentBytes;
    /** Every segment's number and generation, the scans' pins, the sealed bytes (see {@link SegmentTable}). */
    private final SegmentTable segments;
    /** How a roll creates a segment and syncs the folder; guarded by this. */
    private LogFiles files = LogFiles.REAL;
    /** Runs the roll's blocking work: creating the next segment, fsyncing and closing the sealed one. */
    private final Executor io;
    /** Guarded by this: the segment being appended to. */
    private @Nullable FileChannel current;
    /** Guarded by this: the next segment, created (and its folder entry synced) ahead of the roll, or null. */
    private @Nullable FileChannel prepared;
    /** Guarded by this: whether the I/O executor is creating the next segment now (a roll waits for it). */
    private boolean preparing;
    /** Guarded by this: the highest number a roll took; a creation ahead for it would truncate the live segment. */
    private long claimed;
    private volatile long currentSeq;
    /** Bytes in the current segment; written by the writer, read by readers and the syncer. */
    private volatile long currentSize;
    private volatile boolean dirty; // appended since the last fsync; set by the writer, cleared by the syncer

    private SegmentedLog(Path dir, long segmentBytes, NavigableMap<Long, Integer> segments, LongSupplier nanoTime,
            Executor io, long seq, FileChannel current, long size) throws IOException {
        this.io = io;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segments = new SegmentTable(dir, segments, seq, nanoTime);
        this.currentSeq = seq;
        this.current = current;
        this.currentSize = size;
    }

    static SegmentedLog open(Path dir, long segmentBytes, LogPosition from, FrameVisitor visitor) throws IOException {
        return open(dir, segmentBytes, from, visitor, System::nanoTime, Runnable::run);
    }

    /**
     * Opens the log in {@code dir}, replaying every frame from {@code from} through {@code visitor}. A torn
     * or corrupt frame at the end of the last segment (a crash while writing it, so never acknowledged) is
     * cut off; one anywhere else means damaged data, and the open fails rather than lose it silently.
     * {@code nanoTime} times the leases of scans' pins; {@code io} runs the roll's blocking work.
     */
    static SegmentedLog open(Path dir, long segmentBytes, LogPosition from, FrameVisitor visitor, LongSupplier nanoTime,
            Executor io) throws IOException {
        Files.createDirectories(dir);
        NavigableMap<Long, Integer> found = SegmentFiles.scan(dir);
        if (found.isEmpty()) {
            FileChannel ch = FileChannel.open(SegmentFiles.file(dir, 1, 0), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            SegmentFiles.syncDirectory(dir);
            found.put(1L, 0);
            return new SegmentedLog(dir, segmentBytes, found, nanoTime, io, 1, ch, 0);
        }
        LogPosition last = SegmentReader.replay(dir, found, from, visitor);
        Path file = SegmentFiles.file(dir, last.segment(), found.get(last.segment()));
        long size = Files.size(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        if (last.offset() < size) {
            ch.truncate(last.offset());
            ch.force(true);
        }
        return new SegmentedLog(dir, segmentBytes, found, nanoTime, io, last.segment(), ch, last.offset());
    }

    /** The file of segment {@code seq} in its generation in use. */
    Path file(long seq) {
        return segments.file(seq);
    }

    /** The generation in use of segment {@code seq}, or -1 when there is no such segment. */
    int generation(long seq) {
        return segments.generation(seq);
    }

    /** The numbers of the sealed segments (all but the one being appended to), in log order. */
    List<Long> sealedSegments() {
        return segments.before(currentSeq);
    }

    SegmentPins.Pin pin(long seq) {
        return segments.pin(seq);
    }

    boolean pinned(long seq) {
        return segments.pinned(seq);
    }

    /** Swaps a compaction's rewrite of sealed segment {@code seq} in (see {@link SegmentTable#swapIn}). */
    boolean swapIn(long seq, int generation, Path cleaned) throws IOException {
        return segments.swapIn(seq, generation, cleaned, currentSeq);
    }

    /** The end of the log: everything before it is whole frames. */
    LogPosition end() {
        return new LogPosition(currentSeq, currentSize);
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
        FileChannel ch;
        synchronized (this) {
            ch = current;
        }
        if (ch == null) {
            throw new IOException("the log of " + dir + " is closed");
        }
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

    /**
     * Seals the current segment and starts the next; either all of it happens or the log stays as it was
     * (a new file closed and removed), so the next append simply tries again. The next segment is normally
     * the one created ahead ({@link #prepareNext}); only when that is not ready (its creation failed, say)
     * is it created here. The sealed segment is fsynced and closed on the I/O executor: frames acknowledged
     * with worker_persist 0 were fsynced already, the others are within the persist interval either way. A
     * file already at the next number is a leftover of a failed creation (never acknowledged data: no frame
     * is written before a roll completes), so it is truncated and taken.
     */
    private void roll() throws IOException {
        long seq = currentSeq + 1;
        Path file = SegmentFiles.file(dir, seq, 0);
        FileChannel next;
        LogFiles ops;
        synchronized (this) {
            while (preparing) { // rare: the roll came sooner than the creation ahead of it finished
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while the next segment was created");
                }
            }
            next = prepared;
            prepared = null;
            ops = files;
            preparing = next == null; // a creation ahead that starts now must not create the same file
            claimed = Math.max(claimed, seq);
        }
        if (next == null) {
            try {
                next = ops.create(file);
                ops.syncDirectory(dir);
            } catch (IOException | RuntimeException e) {
                SegmentFiles.discard(next, file, e);
                throw e;
            } finally {
                synchronized (this) {
                    preparing = false;
                }
            }
        }
        FileChannel sealed;
        synchronized (this) {
            sealed = current;
            current = next;
        }
        segments.rolled(seq, currentSize);
        currentSeq = seq;
        currentSize = 0;
        dirty = false; // the sealed segment's fsync is queued below; the new one holds nothing yet
        Path sealedFile = file(seq - 1);
        io.execute(() -> {
            try (FileChannel c = sealed) {
                if (c != null) {
                    c.force(false);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("fsyncing the sealed segment {} failed: {}", sealedFile, e.toString());
            }
        });
        prepareNext();
    }

    /**
     * Creates the next segment on the I/O executor, so that the roll on the writer finds it ready. While
     * it runs ({@link #preparing}) a roll waits rather than create the same file beside it.
     */
    private void prepareNext() {
        long seq = currentSeq + 1;
        io.execute(() -> {
            Path file = SegmentFiles.file(dir, seq, 0);
            LogFiles ops;
            synchronized (this) {
                if (prepared != null || preparing || current == null || currentSeq + 1 != seq || seq <= claimed) {
                    return;
                }
                preparing = true;
                ops = files;
            }
            FileChannel ch = null;
            try {
                ch = ops.create(file);
                ops.syncDirectory(dir);
            } catch (IOException | RuntimeException e) {
                SegmentFiles.discard(ch, file, e);
                ch = null;
                LOG.warn("creating the next log segment {} ahead failed (the roll tries again): {}", file, e.toString());
            }
            boolean unused;
            synchronized (this) {
                preparing = false;
                unused = ch != null && (current == null || files != ops || currentSeq + 1 != seq || seq <= claimed);
                if (ch != null && !unused) {
                    prepared = ch;
                }
                notifyAll();
            }
            if (unused) { // closed or given other file operations meanwhile; no roll used the file
                SegmentFiles.discard(ch, file, new IOException("not needed any more"));
            }
        });
    }

    /** Replaces the file operations of rolls (and drops a segment created ahead): tests inject faults with it. */
    void useFiles(LogFiles ops) throws IOException {
        FileChannel ahead;
        synchronized (this) {
            files = ops;
            ahead = prepared;
            prepared = null;
        }
        if (ahead != null) {
            ahead.close();
            Files.deleteIfExists(SegmentFiles.file(dir, currentSeq + 1, 0));
        }
    }

    /**
     * Visits the intact frames from {@code from} up to {@code until} (an {@link #end} taken earlier), with
     * file handles of its own: safe beside the writer. A scan that may run beside a compaction pins its
     * segments first and uses {@link #read(LogPosition, int, LogPosition, FrameVisitor)}.
     */
    void read(LogPosition from, LogPosition until, FrameVisitor visitor) throws IOException {
        read(from, -1, until, visitor);
    }

    /**
     * As {@link #read(LogPosition, LogPosition, FrameVisitor)}, from a position taken in generation
     * {@code generation} of its segment (-1: any): fails with an {@link IllegalArgumentException} when that
     * generation is gone (a compaction rewrote the segment since), rather than read other bytes at the offset.
     */
    void read(LogPosition from, int generation, LogPosition until, FrameVisitor visitor) throws IOException {
        if (generation >= 0 && generation(from.segment()) != generation) {
            throw new IllegalArgumentException("the scan's cursor is in log segment " + from.segment() + " generation "
                    + generation + ", which a compaction has rewritten since (or which this partition does not hold): "
                    + "start the scan again");
        }
        SegmentReader.read(dir, segments.between(from.segment(), until.segment()), from, until, visitor);
    }

    /** Bytes of every segment, kept as counters by the roll and the compaction: no file-system call. */
    long diskBytes() {
        return segments.sealedBytes() + currentSize;
    }

    @Override
    public synchronized void close() throws IOException {
        if (prepared != null) {
            prepared.close(); // an empty next segment stays: an open takes it as the (empty) last one
            prepared = null;
        }
        if (current != null) {
            try {
                current.force(false);
            } finally {
                current.close();
                current = null;
            }
        }
    }
}
