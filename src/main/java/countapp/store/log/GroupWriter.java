package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.model.ItemBatch;
import countapp.store.WriteBlockedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's write path: gathers the adds of a loop turn into one group, writes it as one frame (see
 * {@link Committer}), raises the counts, and refuses writes while a write fault lasts.
 *
 * <p>Threads: {@link #append} and {@link #commit} run on the partition's {@link WriteLoop}, the only thread
 * that touches the group, the index and the windows. The writer raises a tenant's count only after the frame
 * holding its new pairs is written, and before it completes the add, so a count read after an acknowledged
 * add includes it and never counts a pair that is not stored. {@link #refusal} runs on the caller's thread
 * and reads only volatile fields.
 *
 * <p>A write that fails (a full disk) stores nothing: the frame is cut back, the pairs it added to the
 * index are taken out again, and the partition refuses writes at once with {@link WriteBlockedException}
 * until a recheck finds space again.
 */
final class GroupWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupWriter.class);
    /** How often a blocked partition lets a write through to find out whether the cause is gone. */
    private static final long RECHECK_NANOS = 500_000_000L;

    private final int id;
    private final LogStore store;
    private final SegmentedLog log;
    private final PairIndex index;
    private final Map<String, Tenant> tenants;
    /** The day and month windows, or null when the windows setting is off. Writer only. */
    private final @Nullable Windows windows;
    private final PairKeys keys;
    private final LongSupplier nanoTime;
    private volatile boolean syncEveryWrite;
    /** Why writes are refused now, or null; and when a write may next try. */
    private volatile @Nullable WriteBlockedException blocked;
    private volatile long recheckAt;
    /** Bytes the windows hold, refreshed at each commit; read by metrics from any thread. */
    private volatile long windowBytes;
    /** The group being gathered for the next commit, and scratch space; loop thread only, reused. */
    private final List<PendingAdd> groupAdds = new ArrayList<>();
    private final List<Tenant> groupTenants = new ArrayList<>();
    private final List<byte[]> groupPrefixes = new ArrayList<>();
    private final Map<String, Integer> groupTenantIndex = new HashMap<>();
    private final ByteSink head = new ByteSink(256);
    private final ByteSink records = new ByteSink(256);
    private long[] undo = new long[64];
    private int undone;
    private int recordCount;

    GroupWriter(int id, LogStore store, SegmentedLog log, PairIndex index, Map<String, Tenant> tenants,
            @Nullable Windows windows, PairKeys keys, boolean syncEveryWrite, LongSupplier nanoTime) {
        this.id = id;
        this.store = store;
        this.log = log;
        this.index = index;
        this.tenants = tenants;
        this.windows = windows;
        this.keys = keys;
        this.syncEveryWrite = syncEveryWrite;
        this.nanoTime = nanoTime;
        this.windowBytes = windows == null ? 0 : windows.bytes();
    }

    void setSyncEveryWrite(boolean sync) {
        syncEveryWrite = sync;
    }

    long windowBytes() {
        return windowBytes;
    }

    /** Why writes are refused now, or null when they are taken. */
    @Nullable String blockedReason() {
        String heapFull = store.heapFull();
        if (heapFull != null) {
            return WriteBlockedException.describe(id, heapFull);
        }
        WriteBlockedException b = blocked;
        return b == null ? null : b.getMessage();
    }

    /**
     * Why an add is refused at once, without queueing, or null when it may go to the writer. While the
     * partition is blocked, one write per recheck interval goes through to find out whether the cause is gone.
     */
    @Nullable WriteBlockedException refusal() {
        String heapFull = store.heapFull();
        if (heapFull != null) { // 507: storing more needs a restart with more heap, not a retry
            return new WriteBlockedException(id, true, heapFull);
        }
        WriteBlockedException b = blocked;
        if (b != null) {
            long now = nanoTime.getAsLong();
            if (now - recheckAt < 0 || !store.mayWriteAgain(b)) {
                return b;
            }
            recheckAt = now + RECHECK_NANOS; // this one write finds out; the others keep being refused
        }
        return null;
    }

    /** Appends a whole frame to the log, synced when every write is; writer only. */
    void appendFrame(ByteSink frame) throws IOException {
        log.append(frame.array(), frame.length());
        if (syncEveryWrite) {
            log.sync();
        }
    }

    /** Syncs the window logs when every write is synced; writer only. */
    void syncWindowsIfEveryWrite(Windows w) throws IOException {
        if (syncEveryWrite) {
            w.sync();
        }
    }

    /**
     * Applies an add to the pending group on the loop: new pairs enter the index at once (so a pair sent
     * twice in one turn is new once) and their records join the group's frame.
     */
    void append(PendingAdd add) {
        ItemBatch batch = add.batch;
        Windows w = windows;
        if (w != null) {
            w.expire(store.today());
        }
        Tenant t = null;
        int ti = -1;
        for (int k = 0; k < add.count; k++) {
            int i = add.indices[k];
            String tenant = batch.tenant(i);
            if (t == null || !t.name.equals(tenant)) {
                t = tenant(tenant);
                Integer known = groupTenantIndex.get(tenant);
                if (known == null) {
                    known = groupTenants.size();
                    groupTenantIndex.put(tenant, known);
                    groupTenants.add(t);
                }
                ti = known;
            }
            int idLength = keys.hash(t, batch.id(i));
            long low = keys.low();
            long high = keys.high();
            if (index.add(low, high)) {
                if (undone + 2 > undo.length) {
                    undo = java.util.Arrays.copyOf(undo, undo.length * 2);
                }
                undo[undone++] = low;
                undo[undone++] = high;
                keys.putRecord(records, ti, t, idLength);
                recordCount++;
                t.pendingAdded++;
                add.added++;
            }
            int day = batch.day(i);
            if (w != null && day != ItemBatch.NO_DAY && !w.add(t.name, day, low, high)) {
                add.late++;
            }
        }
        groupAdds.add(add);
    }

    /**
     * Writes the pending group as one frame, then raises the counts and completes its adds; on a failed write
     * takes the group's pairs out of the index again and fails its adds. Runs on the loop.
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // counts have one writer, this loop; readers only read them
    void commit() {
        if (groupAdds.isEmpty()) {
            return;
        }
        try {
            if (windows != null) {
                try {
                    windows.write(); // before the all-time frame: on a replay, windows keep only pairs all time holds
                } catch (IOException e) {
                    failGroup(e);
                    return;
                }
            }
            if (recordCount > 0) {
                groupPrefixes.clear();
                for (Tenant t : groupTenants) {
                    groupPrefixes.add(t.prefix); // the prefix is varint length + UTF-8
                }
                Frames.writePairs(head, Frames.ADD, groupPrefixes, recordCount, records);
                try {
                    long start = System.nanoTime();
                    appendFrame(head);
                    store.listener().written(System.nanoTime() - start);
                    blocked = null;
                } catch (IOException e) {
                    failGroup(e);
                    return;
                }
            }
            long late = 0;
            if (windows != null) {
                windows.committed();
                windowBytes = windows.bytes();
                for (PendingAdd add : groupAdds) {
                    late += add.late;
                }
                if (late > 0) {
                    store.listener().lateItems(late);
                }
            }
            for (Tenant t : groupTenants) {
                if (t.pendingAdded > 0) {
                    t.count += t.pendingAdded; // a volatile write, after the frame is written
                    t.pendingAdded = 0;
                }
            }
            for (PendingAdd add : groupAdds) {
                add.result.complete(add.added);
            }
        } finally {
            groupAdds.clear();
            groupTenants.clear();
            groupTenantIndex.clear();
            records.reset();
            recordCount = 0;
            undone = 0;
        }
    }

    /** Drops windows past the retention and refreshes their memory figure; runs on the writer. */
    void expireWindows() {
        if (windows != null) {
            windows.expire(store.today());
            windowBytes = windows.bytes();
        }
    }

    /** Takes the group's pairs out of the index and the windows again and fails its adds: nothing of it is stored. */
    private void failGroup(IOException e) {
        for (int u = 0; u < undone; u += 2) {
            index.remove(undo[u], undo[u + 1]);
        }
        if (windows != null) {
            windows.rollBack();
        }
        groupTenants.forEach(t -> t.pendingAdded = 0);
        WriteBlockedException error = store.blocked(id, e);
        blocked = error;
        recheckAt = nanoTime.getAsLong() + RECHECK_NANOS;
        LOG.error("partition {}: write failed, nothing of it stored; refusing writes until it can write again: {}", id,
                e.toString());
        groupAdds.forEach(a -> a.fail(error));
    }

    /** The tenant's entry, created on first sight (a count of 0 reads the same as no entry). */
    private Tenant tenant(String name) {
        Tenant t = tenants.get(name);
        return t != null ? t : PartitionLoader.tenant(tenants, name);
    }
}
