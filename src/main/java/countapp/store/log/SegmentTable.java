package countapp.store.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link SegmentedLog}'s segments: every segment's number and its generation in use (see
 * {@link SegmentFiles}), the scans' pins against compaction, and the sealed segments' bytes.
 *
 * <p>Threads: the roll (on the writer) adds segments, a compaction {@link #swapIn swaps in} new generations,
 * scans read the map and pin; the map is concurrent, and a swap-in checks the pins and replaces the
 * generation under the pins' lock, so a pin taken before the swap-in is seen by it.
 */
final class SegmentTable {
    /** How long a scan's pin outlives its last chunk: a client that stops fetching lets compaction go on. */
    static final long PIN_LEASE_NANOS = 5L * 60 * 1_000_000_000L;

    private final Path dir;
    /** Every segment's number and its generation in use; the roll adds, {@link #swapIn} replaces. */
    private final NavigableMap<Long, Integer> segments;
    private final SegmentPins pins;
    /** Bytes of the sealed segments: disk use without listing the folder (a metrics scrape reads it). */
    private final AtomicLong sealedBytes = new AtomicLong();

    /** The segments {@code found} in {@code dir}; those before {@code currentSeq} are sealed. */
    SegmentTable(Path dir, NavigableMap<Long, Integer> found, long currentSeq, LongSupplier nanoTime) throws IOException {
        for (Map.Entry<Long, Integer> e : found.headMap(currentSeq, false).entrySet()) {
            sealedBytes.addAndGet(Files.size(SegmentFiles.file(dir, e.getKey(), e.getValue())));
        }
        this.dir = dir;
        this.segments = new ConcurrentSkipListMap<>(found);
        this.pins = new SegmentPins(nanoTime, PIN_LEASE_NANOS);
    }

    /** The file of segment {@code seq} in its generation in use. */
    Path file(long seq) {
        return SegmentFiles.file(dir, seq, generation(seq));
    }

    /** The generation in use of segment {@code seq}, or -1 when there is no such segment. */
    int generation(long seq) {
        Integer g = segments.get(seq);
        return g == null ? -1 : g;
    }

    /** The numbers of the segments before {@code currentSeq}, in log order. */
    List<Long> before(long currentSeq) {
        return new ArrayList<>(segments.headMap(currentSeq, false).keySet());
    }

    /** The segments from {@code from} to {@code until} (both included) with their generations, in log order. */
    Map<Long, Integer> between(long from, long until) {
        return segments.subMap(from, true, until, true);
    }

    /** Pins segments from {@code seq} on against compaction (see {@link SegmentPins}). */
    SegmentPins.Pin pin(long seq) {
        return pins.pin(seq);
    }

    boolean pinned(long seq) {
        return pins.pinned(seq);
    }

    /** A roll sealed a segment of {@code sealedSize} bytes and started segment {@code seq}, generation 0. */
    void rolled(long seq, long sealedSize) {
        segments.put(seq, 0);
        sealedBytes.addAndGet(sealedSize);
    }

    long sealedBytes() {
        return sealedBytes.get();
    }

    /**
     * Replaces sealed segment {@code seq}, generation {@code generation}, by the rewrite in {@code cleaned}
     * (fsynced by the caller) as the next generation. Called off (false, nothing changed) when a scan pinned
     * the segment, it changed meanwhile, or it is not before {@code currentSeq}; the caller then deletes
     * {@code cleaned}.
     */
    boolean swapIn(long seq, int generation, Path cleaned, long currentSeq) throws IOException {
        Path old = SegmentFiles.file(dir, seq, generation);
        long change = Files.size(cleaned) - Files.size(old);
        synchronized (pins) {
            if (pins.pinned(seq) || generation(seq) != generation || seq >= currentSeq) {
                return false;
            }
            Files.move(cleaned, SegmentFiles.file(dir, seq, generation + 1), StandardCopyOption.ATOMIC_MOVE);
            segments.put(seq, generation + 1);
            sealedBytes.addAndGet(change);
        }
        SegmentFiles.syncDirectory(dir); // the new name is durable before the old one goes
        Files.delete(old);
        SegmentFiles.syncDirectory(dir);
        return true;
    }
}
