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
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites a partition's sealed log segments without the pairs erased since they were written, so an
 * erased id's bytes leave the disk, not only the counts.
 *
 * <p>Why it is safe without stopping writes: only segments sealed before the compaction starts are
 * rewritten; every record written meanwhile lands in the current segment, which is left alone. An ADD
 * record is kept when the index holds its pair at the time it is checked, and ERASE records of the sealed
 * segments are all dropped. For any pair, either its last record is in the untouched tail, and a replay
 * ends in that record's state; or it is in the rewritten segments, so nothing happened to the pair during
 * the compaction and its state then is the state checked: kept ADDs if present, nothing if absent. Each
 * segment is replaced by an atomic rename, and the snapshot (whose position would not fit a rewritten
 * segment) is deleted first, so a crash at any point leaves a log that replays to the same pairs.
 *
 * <p>Scans: a rewritten segment gets a new generation, a new file name (see {@link SegmentFiles}), so a
 * paged scan's cursor, which names the generation it was taken in, can never point into a rewritten file.
 * A scan pins the segments it still has to read ({@link SegmentPins}); segments are rewritten in log order
 * and the compaction stops at the first pinned one, leaving the rest (and RUNNING) for its next round.
 * Stopping there, rather than skipping ahead, keeps the replay exact: an ERASE frame is dropped only from a
 * rewritten segment, and every earlier record of its pair is in an earlier, rewritten segment too. Without
 * pins, a compaction between two chunks of a tenant erasure made it skip or misread ids (issue 19).
 *
 * <p>Duplicates: an ADD is written only for a new pair, so only a pair erased and added again has more
 * than one; of those the first stored record stays. A pair erased and added again while a compaction runs
 * keeps its old record and its new one (its ERASE is gone), so id listings may show it twice: counts are
 * exact either way.
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    static final String MARKER = "compaction-needed";
    /** Present while a compaction runs: one cut short by a crash is done again at the next chance. */
    static final String RUNNING = "compaction-running";
    private static final int CHECK_CHUNK = 8192;

    private final Path dir;
    private final SegmentedLog log;
    private final SipHash hash;
    /** Whether each of the given 128-bit hashes is in the index now; answered on the writer. */
    private final Function<long[], CompletableFuture<boolean[]>> stored;

    Compactor(Path dir, SegmentedLog log, SipHash hash, Function<long[], CompletableFuture<boolean[]>> stored) {
        this.dir = dir;
        this.log = log;
        this.hash = hash;
        this.stored = stored;
    }

    /** Marks the partition as holding erased pairs on disk (durably), before the erase is acknowledged. */
    static void markNeeded(Path dir) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker)) {
            Files.createFile(marker);
            SegmentFiles.syncDirectory(dir);
        }
    }

    static boolean needed(Path dir) {
        return Files.exists(dir.resolve(MARKER)) || Files.exists(dir.resolve(RUNNING));
    }

    /** Rewrites every sealed segment; returns the bytes removed. Stops early (false from {@code goOn}) when the partition closes. */
    long run(java.util.function.BooleanSupplier goOn) throws IOException {
        List<Long> sealed = log.sealedSegments();
        // RUNNING covers this run; an erasure during it raises MARKER again for the next one.
        if (!Files.exists(dir.resolve(RUNNING))) {
            Files.createFile(dir.resolve(RUNNING));
        }
        Files.deleteIfExists(dir.resolve(MARKER));
        Snapshot.delete(dir);
        SegmentFiles.syncDirectory(dir);
        if (sealed.isEmpty()) {
            Files.deleteIfExists(dir.resolve(RUNNING));
            return 0;
        }
        PairIndex erased = erasedIn(sealed.get(sealed.size() - 1));
        PairIndex kept = new PairIndex();
        long saved = 0;
        for (long seq : sealed) {
            if (!goOn.getAsBoolean()) {
                return saved; // RUNNING stays: the next round compacts again
            }
            long removed = log.pinned(seq) ? -1 : rewrite(seq, erased, kept);
            if (removed < 0) {
                LOG.info("compaction of {} stops at segment {}: a scan is reading it; the next round goes on", dir, seq);
                return saved; // RUNNING stays
            }
            saved += removed;
        }
        Files.deleteIfExists(dir.resolve(RUNNING));
        SegmentFiles.syncDirectory(dir);
        return saved;
    }

    /**
     * The pairs named by ERASE frames of the sealed segments: the only pairs that can have more than one ADD
     * record (an ADD is written only for a pair that is new), so the only ones whose duplicates need finding.
     */
    private PairIndex erasedIn(long lastSealed) throws IOException {
        PairIndex erased = new PairIndex();
        ByteSink key = new ByteSink(256);
        long[] h = new long[2];
        log.read(LogPosition.START, new LogPosition(lastSealed, Long.MAX_VALUE), (kind, payload, next) -> {
            if (kind == Frames.ERASE) {
                List<long[]> hashes = new ArrayList<>();
                read(payload, key, h, hashes);
                hashes.forEach(x -> erased.add(x[0], x[1]));
            }
            return true;
        });
        return erased;
    }

    /** One pending ADD frame: its tenants, and per record its tenant index and id bytes. */
    private static final class AddFrame {
        final List<byte[]> tenants = new ArrayList<>();
        final List<int[]> records = new ArrayList<>(); // {tenant, offset, length} into ids
        final ByteSink ids = new ByteSink(256);
    }

    /** Rewrites one sealed segment as its next generation; returns the bytes removed, or -1 when it was called off. */
    private long rewrite(long seq, PairIndex erased, PairIndex kept) throws IOException {
        int generation = log.generation(seq);
        Path file = SegmentFiles.file(dir, seq, generation);
        Path tmp = SegmentFiles.cleaned(dir, seq, generation + 1);
        long before = Files.size(file);
        List<AddFrame> frames = new ArrayList<>();
        List<long[]> hashes = new ArrayList<>();
        int[] pending = {0};
        boolean[] dropped = {false};
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteSink key = new ByteSink(256);
            long[] h = new long[2];
            log.read(new LogPosition(seq, 0), generation, new LogPosition(seq, Long.MAX_VALUE),
                    (kind, payload, next) -> {
                        if (kind != Frames.ADD) {
                            dropped[0] = true;
                            return true; // ERASE frames of sealed segments go (see the class comment)
                        }
                        AddFrame f = read(payload, key, h, hashes);
                        frames.add(f);
                        pending[0] += f.records.size();
                        if (pending[0] >= CHECK_CHUNK) {
                            dropped[0] |= flush(out, frames, hashes, erased, kept);
                            pending[0] = 0;
                        }
                        return true;
                    });
            dropped[0] |= flush(out, frames, hashes, erased, kept);
            if (dropped[0]) {
                out.force(true);
            }
        }
        if (!dropped[0]) { // nothing to take out: the segment stays as it is (no write, no fsync)
            Files.delete(tmp);
            return 0;
        }
        long after = Files.size(tmp);
        if (!log.swapIn(seq, generation, tmp)) {
            Files.deleteIfExists(tmp);
            return -1;
        }
        if (before != after) {
            LOG.info("compacted {}: {} → {} bytes", file, before, after);
        }
        return before - after;
    }

    private AddFrame read(ByteSource r, ByteSink key, long[] h, List<long[]> hashes) {
        AddFrame f = new AddFrame();
        Frames.readPairs(r, new Frames.PairSink() {
            @Override
            public void tenant(int index, byte[] array, int at, int length) {
                ByteSink prefix = new ByteSink(length + 5);
                prefix.putVarint(length);
                prefix.putBytes(array, at, length);
                f.tenants.add(java.util.Arrays.copyOf(prefix.array(), prefix.length()));
            }

            @Override
            public boolean record(int tenant, byte[] array, int at, int length) {
                byte[] prefix = f.tenants.get(tenant);
                key.reset();
                key.putBytes(prefix, 0, prefix.length);
                key.putBytes(array, at, length);
                hash.hash128(key.array(), key.length(), h);
                hashes.add(new long[] {h[0], h[1]});
                f.records.add(new int[] {tenant, f.ids.length(), length});
                f.ids.putBytes(array, at, length);
                return true;
            }
        });
        return f;
    }

    /**
     * Asks the writer which of the gathered pairs are stored, and writes the frames with those only; of a
     * pair erased and added again, only its first stored record stays. Returns whether it left any record out.
     */
    private boolean flush(FileChannel out, List<AddFrame> frames, List<long[]> hashes, PairIndex erased, PairIndex kept)
            throws IOException {
        if (frames.isEmpty()) {
            return false;
        }
        long[] flat = new long[hashes.size() * 2];
        for (int i = 0; i < hashes.size(); i++) {
            flat[2 * i] = hashes.get(i)[0];
            flat[2 * i + 1] = hashes.get(i)[1];
        }
        boolean[] keep;
        try {
            keep = stored.apply(flat).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("checking pairs against the index failed: " + e.getCause(), e.getCause());
        }
        for (int k = 0; k < keep.length; k++) {
            long low = flat[2 * k];
            long high = flat[2 * k + 1];
            if (keep[k] && erased.contains(low, high)) {
                keep[k] = kept.add(low, high);
            }
        }
        boolean dropped = false;
        for (boolean k : keep) {
            dropped |= !k;
        }
        int i = 0;
        ByteSink frame = new ByteSink(1 << 16);
        ByteSink records = new ByteSink(1 << 16);
        for (AddFrame f : frames) {
            int[] newIndex = new int[f.tenants.size()];
            java.util.Arrays.fill(newIndex, -1);
            List<byte[]> tenantsKept = new ArrayList<>();
            records.reset();
            int count = 0;
            for (int[] rec : f.records) {
                if (keep[i++]) {
                    if (newIndex[rec[0]] < 0) {
                        newIndex[rec[0]] = tenantsKept.size();
                        tenantsKept.add(f.tenants.get(rec[0]));
                    }
                    records.putVarint(newIndex[rec[0]]);
                    records.putVarint(rec[2]);
                    records.putBytes(f.ids.array(), rec[1], rec[2]);
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            Frames.writePairs(frame, Frames.ADD, tenantsKept, count, records);
            ByteBuffer bb = ByteBuffer.wrap(frame.array(), 0, frame.length());
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
        frames.clear();
        hashes.clear();
        return dropped;
    }
}
