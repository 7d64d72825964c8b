package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;
import countapp.model.Window;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log files of one partition's {@link Windows}: one log per calendar month ("bucket",
 * {@code windows/<epoch month>/}) holds the records of that month's window and of its days, so a bucket's
 * folder is deleted whole once its month and all its days are past the retention: expiry never reads live
 * data. Records carry what the all-time {@link PairIndex} needs to find the pair (its fingerprint and
 * segment).
 *
 * <pre>
 *   WINDOW_ADD / WINDOW_ERASE payload = varint tenants | tenants × (varint length, UTF-8)
 *                                     | varint records | records × (varint tenant, u8 slot, i64 low, u16 segment)
 *   slot 0 = the month's window, slot d = its day d
 * </pre>
 *
 * The frame around the records is the all-time log's (see {@link Frames#writePairs}).
 *
 * <p>Threads: everything runs on the partition's writer but {@link #sync}, which the store's syncer calls
 * (each bucket's {@link SegmentedLog} syncs under its own lock), and the closing and deletion of expired
 * buckets, which run on the I/O executor.
 */
final class WindowLogs {
    private static final Logger LOG = LoggerFactory.getLogger(WindowLogs.class);
    static final byte WINDOW_ADD = 11;
    static final byte WINDOW_ERASE = 12;
    private static final long BUCKET_SEGMENT_BYTES = 64L << 20;

    /** Receives the records of the bucket logs as they are replayed. */
    interface Replay {
        void record(byte kind, String tenant, int month, int slot, long low, long high);
    }

    /** A month's log and the frame being gathered for it in this group; writer only. */
    final class Bucket {
        final int month;
        final int firstDay;
        /** Opened at the first write of a new month (a folder made on the write path, where failures are handled). */
        volatile @Nullable SegmentedLog log;
        final ByteSink records = new ByteSink(256);
        /** The group's tenants, each as varint length + UTF-8, and their numbers in the frame. */
        final List<byte[]> prefixes = new ArrayList<>();
        final Map<String, Integer> nameIndex = new HashMap<>();
        int count;
        byte kind;

        Bucket(int month, @Nullable SegmentedLog log) {
            this.month = month;
            this.firstDay = Windows.firstDay(month);
            this.log = log;
        }

        SegmentedLog log() throws IOException {
            SegmentedLog l = log;
            if (l == null) {
                l = SegmentedLog.open(dir.resolve(Integer.toString(month)), BUCKET_SEGMENT_BYTES,
                        LogPosition.START, (kind, payload, next) -> true);
                log = l;
            }
            return l;
        }

        void record(byte frameKind, String tenant, int slot, long low, long high) {
            if (count > 0 && kind != frameKind) {
                throw new IllegalStateException("one frame kind per group");
            }
            kind = frameKind;
            Integer t = nameIndex.get(tenant);
            if (t == null) {
                t = prefixes.size();
                nameIndex.put(tenant, t);
                prefixes.add(prefix(tenant));
            }
            records.putVarint(t);
            records.put((byte) slot);
            putLong(records, low);
            // The index needs only the segment bits of the other half to find the pair (see PairIndex).
            int segment = PairIndex.segmentOf(high);
            records.put((byte) segment);
            records.put((byte) (segment >>> 8));
            count++;
            if (!pending.contains(this)) {
                pending.add(this);
            }
        }

        void write(ByteSink frame) throws IOException {
            Frames.writePairs(frame, kind, prefixes, count, records);
            log().append(frame.array(), frame.length());
        }

        void clear() {
            records.reset();
            prefixes.clear();
            nameIndex.clear();
            count = 0;
        }
    }

    private final Path dir;
    /** Runs the deletion of expired buckets, off the writer (an event loop). */
    private final Executor io;
    /** Open bucket logs by epoch month; the writer adds and removes, the syncer iterates. */
    private final Map<Integer, Bucket> buckets = new ConcurrentHashMap<>();
    /** Buckets with records in the group being gathered; writer only. */
    private final List<Bucket> pending = new ArrayList<>();
    private final ByteSink frame = new ByteSink(256);

    WindowLogs(Path dir, Executor io) {
        this.dir = dir;
        this.io = io;
    }

    /**
     * Opens the bucket logs found in the folder: deletes the buckets {@code kept} refuses (unread), replays the
     * others into {@code replay}, oldest month first.
     */
    void open(IntPredicate kept, Replay replay) throws IOException {
        Files.createDirectories(dir);
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                try {
                    found.add(Integer.parseInt(p.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a bucket
                }
            });
        }
        found.sort(null);
        for (int month : found) {
            if (!kept.test(month)) {
                deleteTree(dir.resolve(Integer.toString(month)));
                continue;
            }
            SegmentedLog log = SegmentedLog.open(dir.resolve(Integer.toString(month)), BUCKET_SEGMENT_BYTES,
                    LogPosition.START, (kind, payload, next) -> {
                        read(month, kind, payload, replay);
                        return true;
                    });
            buckets.put(month, new Bucket(month, log));
        }
    }

    private static void read(int month, byte kind, ByteSource r, Replay replay) {
        int n = r.varint();
        String[] names = new String[n];
        for (int t = 0; t < n; t++) {
            names[t] = r.utf8(r.varint());
        }
        int records = r.varint();
        for (int k = 0; k < records; k++) {
            String tenant = names[r.varint()];
            int slot = r.get() & 0xff;
            long low = readLong(r);
            long high = ((long) ((r.get() & 0xff) | (r.get() & 0xff) << 8)) << (64 - PairIndex.SEGMENT_BITS);
            replay.record(kind, tenant, month, slot, low, high);
        }
    }

    /** The month's bucket, opened (lazily) on first use. */
    Bucket bucket(int month) {
        return buckets.computeIfAbsent(month, m -> new Bucket(m, null));
    }

    /**
     * Writes the gathered records, a frame per bucket. Then either the group is acknowledged or
     * {@link #dropPending} (it failed, here or in the all-time log).
     */
    void write() throws IOException {
        try {
            for (Bucket b : pending) {
                b.write(frame);
            }
        } finally {
            dropPending();
        }
    }

    void dropPending() {
        pending.forEach(Bucket::clear);
        pending.clear();
    }

    /** Syncs every bucket written since the last sync; the syncer's call. */
    void sync() throws IOException {
        for (Bucket b : buckets.values()) {
            SegmentedLog l = b.log;
            if (l != null) {
                l.sync();
            }
        }
    }

    /** Closes and deletes the buckets {@code kept} refuses, on the I/O executor (unread). */
    void dropExpired(IntPredicate kept) {
        for (Bucket b : new ArrayList<>(buckets.values())) {
            if (!kept.test(b.month)) {
                buckets.remove(b.month);
                io.execute(() -> { // a close (fsync) and a delete: off the writer
                    try {
                        SegmentedLog l = b.log;
                        if (l != null) {
                            l.close();
                        }
                        deleteTree(dir.resolve(Integer.toString(b.month)));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("dropping the expired windows of {} in {} failed: {}", Window.yearMonth(b.month), dir,
                                e.toString());
                    }
                });
            }
        }
    }

    long diskBytes() throws IOException {
        long total = 0;
        for (Bucket b : buckets.values()) {
            SegmentedLog l = b.log;
            total += l == null ? 0 : l.diskBytes();
        }
        return total;
    }

    void close() {
        for (Bucket b : buckets.values()) {
            try {
                SegmentedLog l = b.log;
                if (l != null) {
                    l.close();
                }
            } catch (IOException e) {
                LOG.error("closing the window log of {} in {} failed: {}", Window.yearMonth(b.month), dir, e.toString());
            }
        }
        buckets.clear();
    }

    /** A tenant name as a frame names it: varint length, UTF-8. */
    private static byte[] prefix(String name) {
        byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteSink s = new ByteSink(utf8.length + 5);
        s.putVarint(utf8.length);
        s.putBytes(utf8, 0, utf8.length);
        return java.util.Arrays.copyOf(s.array(), s.length());
    }

    private static void putLong(ByteSink sink, long v) {
        for (int i = 0; i < 8; i++) {
            sink.put((byte) (v >>> (8 * i)));
        }
    }

    private static long readLong(ByteSource r) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (r.get() & 0xffL) << (8 * i);
        }
        return v;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
