package countapp.store.log;

import countapp.model.Retention;
import countapp.model.Window;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One partition's day and month windows: per kept window, per tenant, the set of its pairs seen in that
 * window (64-bit fingerprints in a {@link LongSet}), so a window's count is a set's size and a run of days
 * is the size of a union. Disk and memory are bounded by the retention.
 *
 * <p>Durability: the sets' records go to the bucket logs of {@link WindowLogs}, a frame per touched month
 * per group, written before the all-time frame. A replay keeps only pairs the all-time index holds: the
 * all-time log is the truth, so a window can never count a pair that all time does not (a torn or lost
 * window frame only means the pair counts in the window again once re-sent).
 *
 * <p>Threads: everything runs on the partition's writer but {@link #sync}, which the store's syncer calls
 * (see {@link WindowLogs}).
 */
final class Windows {
    /** One window: its tenants' sets. A ConcurrentHashMap so an export's iterator survives writes. */
    static final class WindowSet {
        final Map<String, LongSet> tenants = new ConcurrentHashMap<>();
    }

    private final Retention retention;
    private final Map<Integer, WindowSet> days = new HashMap<>();
    private final Map<Integer, WindowSet> months = new HashMap<>();
    /** The month logs the sets' records go to. */
    private final WindowLogs logs;
    /** The sets the group being gathered changed, and the values it added to them. */
    private final List<LongSet> undoSets = new ArrayList<>();
    private long[] undoValues = new long[64];
    private int today;
    /** The last (tenant, day) an add looked up, and what it found; see {@link #target}. Writer only. */
    private @Nullable String lastTenant;
    private int lastDay = Integer.MIN_VALUE;
    private @Nullable LongSet lastDaySet;
    private @Nullable LongSet lastMonthSet;
    private WindowLogs.Bucket lastBucket;
    private boolean lastCounted;
    /** What the sets take in memory, kept current on the write path (a set entry and map overhead included). */
    private long bytes;
    private static final long PER_SET_BYTES = 96;

    private Windows(WindowLogs logs, Retention retention, int today) {
        this.logs = logs;
        this.retention = retention;
        this.today = today;
    }

    /**
     * Opens the windows under {@code dir} as of {@code today}: deletes the buckets past the retention
     * (unread), replays the others, keeping only pairs {@code index} holds.
     */
    static Windows open(Path dir, Retention retention, int today, PairIndex index, java.util.concurrent.Executor io)
            throws IOException {
        Windows w = new Windows(new WindowLogs(dir, io), retention, today);
        w.logs.open(w::bucketKept, (kind, tenant, month, slot, low, high) ->
                w.replay(kind, tenant, month, slot, low, index.contains(low, high)));
        w.bytes = w.memoryBytes();
        return w;
    }

    /** Applies one replayed record to its set, where kept; an add only when all time still holds the pair. */
    private void replay(byte kind, String tenant, int month, int slot, long low, boolean heldAllTime) {
        WindowSet set = slot == 0 ? (retention.keepsMonth(month, Window.monthOfDay(today)) ? set(months, month) : null)
                : (retention.keepsDay(firstDay(month) + slot - 1, today) ? set(days, firstDay(month) + slot - 1) : null);
        if (set == null) {
            return;
        }
        if (kind == WindowLogs.WINDOW_ADD && heldAllTime) {
            set.tenants.computeIfAbsent(tenant, x -> new LongSet(4)).add(low);
        } else if (kind == WindowLogs.WINDOW_ERASE) {
            LongSet s = set.tenants.get(tenant);
            if (s != null && s.remove(low) && s.size() == 0) {
                set.tenants.remove(tenant);
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
            lastBucket.record(WindowLogs.WINDOW_ADD, tenant, day - lastBucket.firstDay + 1, low, high);
        }
        if (lastMonthSet != null && added(lastMonthSet, low)) {
            undo(lastMonthSet, low);
            lastBucket.record(WindowLogs.WINDOW_ADD, tenant, 0, low, high);
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
        lastBucket = logs.bucket(month);
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
        logs.write();
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
        logs.dropPending();
    }

    /** Syncs every bucket written since the last sync; the syncer's call. */
    void sync() throws IOException {
        logs.sync();
    }

    /** Removes a pair from every kept window of its tenant and writes that down. */
    void erase(String tenant, long low, long high) {
        forgetTarget();
        for (Map.Entry<Integer, WindowSet> e : days.entrySet()) {
            if (removeFrom(e.getValue(), tenant, low)) {
                WindowLogs.Bucket b = logs.bucket(Window.monthOfDay(e.getKey()));
                b.record(WindowLogs.WINDOW_ERASE, tenant, e.getKey() - b.firstDay + 1, low, high);
            }
        }
        for (Map.Entry<Integer, WindowSet> e : months.entrySet()) {
            if (removeFrom(e.getValue(), tenant, low)) {
                logs.bucket(e.getKey()).record(WindowLogs.WINDOW_ERASE, tenant, 0, low, high);
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
        logs.dropExpired(this::bucketKept);
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
        return logs.diskBytes();
    }

    void close() {
        logs.close();
    }
}
