package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;
import countapp.model.Retention;
import countapp.model.Window;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's day and month windows: per kept window, per tenant, the set of its pairs seen in that
 * window (64-bit fingerprints in a {@link LongSet}), so a window's count is a set's size and a run of days
 * is the size of a union.
 *
 * <p>Durability: one log per calendar month ("bucket", {@code windows/<epoch month>/}) holds the records of
 * that month's window and of its days, so a bucket's folder is deleted whole once its month and all its days
 * are past the retention: expiry never reads live data, and disk and memory are bounded by the retention.
 * Records carry what the all-time {@link PairIndex} needs to find the pair (its fingerprint and
 * segment), and a replay keeps only pairs the all-time index holds: the
 * all-time log is the truth, so a window can never count a pair that all time does not (a torn or lost
 * window frame only means the pair counts in the window again once re-sent).
 *
 * <pre>
 *   WINDOW_ADD / WINDOW_ERASE payload = varint tenants | tenants × (varint length, UTF-8)
 *                                     | varint records | records × (varint tenant, u8 slot, i64 low, u16 segment)
 *   slot 0 = the month's window, slot d = its day d
 * </pre>
 *
 * <p>Threads: everything runs on the partition's writer but {@link #sync}, which the store's syncer calls
 * (each bucket's {@link SegmentedLog} syncs under its own lock).
 */
final class Windows {
    private static final Logger LOG = LoggerFactory.getLogger(Windows.class);
    static final byte WINDOW_ADD = 11;
    static final byte WINDOW_ERASE = 12;
    private static final long BUCKET_SEGMENT_BYTES = 64L << 20;

    /** One window: its tenants' sets. A ConcurrentHashMap so an export's iterator survives writes. */
    static final class WindowSet {
        final Map<String, LongSet> tenants = new ConcurrentHashMap<>();
    }

    /** A month's log and the frame being gathered for it in this group; writer only. */
    private final class Bucket {
        final int month;
        final int firstDay;
        /** Opened at the first write of a new month (a folder made on the write path, where failures are handled). */
        volatile @Nullable SegmentedLog log;
        final ByteSink records = new ByteSink(256);
        final List<String> names = new ArrayList<>();
        final Map<String, Integer> nameIndex = new HashMap<>();
        int count;
        byte kind;

        Bucket(int month, @Nullable SegmentedLog log) {
            this.month = month;
            this.firstDay = firstDay(month);
            this.log = log;
        }

        SegmentedLog log() throws IOException {
            SegmentedLog l = log;
            if (l == null) {
                l = SegmentedLog.open(dir.resolve(Integer.toString(month)), BUCKET_SEGMENT_BYTES,
                        SegmentedLog.Position.START, (kind, payload, next) -> true);
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
                t = names.size();
                nameIndex.put(tenant, t);
                names.add(tenant);
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
            frame.reset();
            frame.setLength(Frames.HEADER);
            frame.put(kind);
            putNames(frame, names);
            frame.putVarint(count);
            frame.putBytes(records.array(), 0, records.length());
            Frames.seal(frame, 0);
            log().append(frame.array(), frame.length());
        }

        void clear() {
            records.reset();
            names.clear();
            nameIndex.clear();
            count = 0;
        }
    }

    private final Path dir;
    private final Retention retention;
    private final Map<Integer, WindowSet> days = new HashMap<>();
    private final Map<Integer, WindowSet> months = new HashMap<>();
    /** Open bucket logs by epoch month; the writer adds and removes, the syncer iterates. */
    private final Map<Integer, Bucket> buckets = new ConcurrentHashMap<>();
    /** Buckets with records in the group being gathered, and the sets those records changed. */
    private final List<Bucket> pending = new ArrayList<>();
    private final List<LongSet> undoSets = new ArrayList<>();
    private long[] undoValues = new long[64];
    private final ByteSink frame = new ByteSink(256);
    private int today;
    /** The last (tenant, day) an add looked up, and what it found; see {@link #target}. Writer only. */
    private @Nullable String lastTenant;
    private int lastDay = Integer.MIN_VALUE;
    private @Nullable LongSet lastDaySet;
    private @Nullable LongSet lastMonthSet;
    private Bucket lastBucket;
    private boolean lastCounted;
    /** What the sets take in memory, kept current on the write path (a set entry and map overhead included). */
    private long bytes;
    private static final long PER_SET_BYTES = 96;

    /** Runs the deletion of expired buckets, off the writer (an event loop). */
    private final java.util.concurrent.Executor io;

    private Windows(Path dir, Retention retention, int today, java.util.concurrent.Executor io) {
        this.io = io;
        this.dir = dir;
        this.retention = retention;
        this.today = today;
    }

    Retention retention() {
        return retention;
    }

    /**
     * Opens the windows under {@code dir} as of {@code today}: deletes the buckets past the retention
     * (unread), replays the others, keeping only pairs {@code index} holds.
     */
    static Windows open(Path dir, Retention retention, int today, PairIndex index, java.util.concurrent.Executor io)
            throws IOException {
        Windows w = new Windows(dir, retention, today, io);
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
            if (!w.bucketKept(month)) {
                deleteTree(dir.resolve(Integer.toString(month)));
                continue;
            }
            w.openBucket(month, index);
        }
        w.bytes = w.memoryBytes();
        return w;
    }

    private void openBucket(int month, PairIndex index) throws IOException {
        SegmentedLog log = SegmentedLog.open(dir.resolve(Integer.toString(month)), BUCKET_SEGMENT_BYTES,
                SegmentedLog.Position.START, (kind, payload, next) -> {
                    replay(month, kind, payload, index);
                    return true;
                });
        buckets.put(month, new Bucket(month, log));
    }

    private void replay(int month, byte kind, ByteSource r, PairIndex index) {
        int n = r.varint();
        String[] names = new String[n];
        for (int t = 0; t < n; t++) {
            names[t] = r.utf8(r.varint());
        }
        int firstDay = firstDay(month);
        int records = r.varint();
        for (int k = 0; k < records; k++) {
            String tenant = names[r.varint()];
            int slot = r.get() & 0xff;
            long low = readLong(r);
            long high = ((long) ((r.get() & 0xff) | (r.get() & 0xff) << 8)) << (64 - PairIndex.SEGMENT_BITS);
            WindowSet set = slot == 0 ? (retention.keepsMonth(month, Window.monthOfDay(today)) ? set(months, month) : null)
                    : (retention.keepsDay(firstDay + slot - 1, today) ? set(days, firstDay + slot - 1) : null);
            if (set == null) {
                continue;
            }
            if (kind == WINDOW_ADD && index.contains(low, high)) {
                set.tenants.computeIfAbsent(tenant, x -> new LongSet(4)).add(low);
            } else if (kind == WINDOW_ERASE) {
                LongSet s = set.tenants.get(tenant);
                if (s != null && s.remove(low) && s.size() == 0) {
                    set.tenants.remove(tenant);
                }
            }
        }
    }

    private static WindowSet set(Map<Integer, WindowSet> sets, int key) {
        return sets.computeIfAbsent(key, k -> new WindowSet());
    }

    /** Whether the month's window or any of its days is kept: the kept days are one run, so test overlap. */
    private boolean bucketKept(int month) {
        if (retention.keepsMonth(month, Window.monthOfDay(today))) {
            return true;
        }
        int first = firstDay(month);
        int last = (int) Window.yearMonth(month).atEndOfMonth().toEpochDay();
        return retention.days() > 0 && last > today - retention.days() && first <= today + 1;
    }

    static int firstDay(int month) {
        return (int) Window.yearMonth(month).atDay(1).toEpochDay();
    }

    /**
     * Adds a pair seen on {@code day} to its day and month windows, where kept, gathering the records for the
     * next {@link #write}. Returns false when it misses a window it belongs to (older than that window's
     * retention, or more than a day ahead): a late item, which counts all-time and in the windows still kept.
     */
    @SuppressWarnings("ReferenceEquality") // a cache hit when the batch shares one tenant String
    boolean add(String tenant, int day, long low, long high) {
        if (tenant != lastTenant || day != lastDay) {
            target(tenant, day);
        }
        if (lastDaySet != null && added(lastDaySet, low)) {
            undo(lastDaySet, low);
            lastBucket.record(WINDOW_ADD, tenant, day - lastBucket.firstDay + 1, low, high);
        }
        if (lastMonthSet != null && added(lastMonthSet, low)) {
            undo(lastMonthSet, low);
            lastBucket.record(WINDOW_ADD, tenant, 0, low, high);
        }
        return lastCounted;
    }

    /**
     * Looks up the sets and bucket of (tenant, day) once for a run of items that share them (a batch is
     * mostly one tenant and one day): the per-item work is then two set probes and the log records.
     */
    private void target(String tenant, int day) {
        lastTenant = tenant;
        lastDay = day;
        int month = Window.monthOfDay(day);
        lastBucket = bucket(month);
        lastCounted = true;
        lastDaySet = null;
        lastMonthSet = null;
        if (retention.days() > 0) {
            if (retention.keepsDay(day, today)) {
                lastDaySet = tenantSet(set(days, day), tenant);
            } else {
                lastCounted = false;
            }
        }
        if (retention.months() > 0) {
            if (retention.keepsMonth(month, Window.monthOfDay(today))) {
                lastMonthSet = tenantSet(set(months, month), tenant);
            } else {
                lastCounted = false;
            }
        }
    }

    /** Forgets the looked-up sets: after an expiry or an erasure, a set may have left its map. */
    private void forgetTarget() {
        lastTenant = null;
        lastDay = Integer.MIN_VALUE;
        lastDaySet = null;
        lastMonthSet = null;
    }

    private LongSet tenantSet(WindowSet set, String tenant) {
        LongSet s = set.tenants.get(tenant);
        if (s == null) {
            s = new LongSet(4);
            set.tenants.put(tenant, s);
            bytes += s.memoryBytes() + PER_SET_BYTES;
        }
        return s;
    }

    /** Adds to a set, keeping {@link #bytes} current as the set grows. */
    private boolean added(LongSet s, long low) {
        long before = s.memoryBytes();
        boolean added = s.add(low);
        bytes += s.memoryBytes() - before;
        return added;
    }

    private Bucket bucket(int month) {
        return buckets.computeIfAbsent(month, m -> new Bucket(m, null));
    }

    private void undo(LongSet set, long value) {
        int i = undoSets.size();
        if (i == undoValues.length) {
            undoValues = java.util.Arrays.copyOf(undoValues, i * 2);
        }
        undoSets.add(set);
        undoValues[i] = value;
    }

    /**
     * Writes the gathered records, a frame per bucket. Then either {@link #committed} (the group is
     * acknowledged) or {@link #rollBack} (it failed, here or in the all-time log).
     */
    void write() throws IOException {
        try {
            for (Bucket b : pending) {
                b.write(frame);
            }
        } finally {
            pending.forEach(Bucket::clear);
            pending.clear();
        }
    }

    void committed() {
        undoSets.clear();
    }

    /** Takes the adds of the group that failed to write out of the sets again. */
    void rollBack() {
        for (int i = 0; i < undoSets.size(); i++) {
            undoSets.get(i).remove(undoValues[i]);
        }
        undoSets.clear();
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

    /** Removes a pair from every kept window of its tenant and writes that down. */
    void erase(String tenant, long low, long high) {
        forgetTarget();
        for (Map.Entry<Integer, WindowSet> e : days.entrySet()) {
            if (removeFrom(e.getValue(), tenant, low)) {
                int month = Window.monthOfDay(e.getKey());
                bucket(month).record(WINDOW_ERASE, tenant, e.getKey() - bucket(month).firstDay + 1, low, high);
            }
        }
        for (Map.Entry<Integer, WindowSet> e : months.entrySet()) {
            if (removeFrom(e.getValue(), tenant, low)) {
                bucket(e.getKey()).record(WINDOW_ERASE, tenant, 0, low, high);
            }
        }
        undoSets.clear(); // an erase is not undone: a window never holds more than all time does
    }

    private static boolean removeFrom(WindowSet set, String tenant, long low) {
        LongSet s = set.tenants.get(tenant);
        if (s == null || !s.remove(low)) {
            return false;
        }
        if (s.size() == 0) {
            set.tenants.remove(tenant);
        }
        return true;
    }

    /**
     * The tenant's count in a kept window; a run of days is the size of the union of its days' sets.
     * Throws {@link IllegalArgumentException} for a window that is not kept.
     */
    long count(String tenant, Window window) {
        requireKept(window);
        if (window.unit() == Window.Unit.MONTH) {
            return size(months.get(window.from()), tenant);
        }
        if (window.from() == window.to()) {
            return size(days.get(window.from()), tenant);
        }
        List<LongSet> parts = new ArrayList<>();
        int total = 0;
        for (int d = window.from(); d <= window.to(); d++) {
            WindowSet set = days.get(d);
            LongSet s = set == null ? null : set.tenants.get(tenant);
            if (s != null) {
                parts.add(s);
                total += s.size();
            }
        }
        if (parts.size() <= 1) {
            return parts.isEmpty() ? 0 : parts.get(0).size();
        }
        parts.sort(Comparator.comparingInt(LongSet::size).reversed());
        LongSet union = new LongSet(total);
        parts.forEach(p -> p.addAllTo(union));
        return union.size();
    }

    private static long size(@Nullable WindowSet set, String tenant) {
        LongSet s = set == null ? null : set.tenants.get(tenant);
        return s == null ? 0 : s.size();
    }

    /** The tenants of one kept day or month, with their sets; a weakly consistent view for an export. */
    Iterator<Map.Entry<String, LongSet>> tenants(Window window) {
        requireKept(window);
        WindowSet set = (window.unit() == Window.Unit.MONTH ? months : days).get(window.from());
        return set == null ? java.util.Collections.emptyIterator() : set.tenants.entrySet().iterator();
    }

    private void requireKept(Window window) {
        if (!retention.keeps(window, today)) {
            throw new IllegalArgumentException(window + " is not kept: " + describe(retention));
        }
    }

    static String describe(Retention retention) {
        if (!retention.enabled()) {
            return "windows are off (set windows: {day: N, month: M} in the config)";
        }
        return "windows keep the last " + retention.days() + " days and " + retention.months() + " months (UTC)";
    }

    /**
     * Moves to {@code day}: drops the windows past the retention, and hands their bucket logs' deletion to
     * the I/O executor (unread).
     */
    void expire(int day) {
        if (day == today) {
            return;
        }
        forgetTarget();
        today = day;
        int thisMonth = Window.monthOfDay(day);
        days.keySet().removeIf(d -> !retention.keepsDay(d, day));
        months.keySet().removeIf(m -> !retention.keepsMonth(m, thisMonth));
        bytes = memoryBytes();
        for (Bucket b : new ArrayList<>(buckets.values())) {
            if (!bucketKept(b.month)) {
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

    int today() {
        return today;
    }

    /** The sets' memory, counted afresh. */
    private long memoryBytes() {
        long total = 0;
        for (Map<Integer, WindowSet> sets : List.of(days, months)) {
            for (WindowSet set : sets.values()) {
                for (LongSet s : set.tenants.values()) {
                    total += s.memoryBytes() + PER_SET_BYTES;
                }
            }
        }
        return total;
    }

    /** The sets' memory as kept current by the writes. */
    long bytes() {
        return bytes;
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

    private static void putNames(ByteSink sink, List<String> names) {
        sink.putVarint(names.size());
        for (String name : names) {
            byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            sink.putVarint(utf8.length);
            sink.putBytes(utf8, 0, utf8.length);
        }
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
