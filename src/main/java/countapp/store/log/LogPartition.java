package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;

import countapp.model.ItemBatch;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.PartitionStats;
import countapp.store.StoreListener;
import countapp.store.WriteBlockedException;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open partition of the log store: its {@link SegmentedLog}, its {@link PairIndex} and its tenants'
 * counts.
 *
 * <p>Threads: adds and the close run on the partition's {@link WriteLoop}, the only thread that touches
 * the index and appends to the log; a loop turn's adds are written as one frame (see {@link Committer}).
 * A count is a read of a volatile field from any thread: the writer raises a
 * tenant's count only after the frame holding its new pairs is written, and before it completes the add,
 * so a count read after an acknowledged add includes it and never counts a pair that is not stored.
 * Id scans read the log files on the store's scan executor, up to the end the log had when they started.
 *
 * <p>A write that fails (a full disk) stores nothing: the frame is cut back, the pairs it added to the
 * index are taken out again, and the partition refuses writes at once with {@link WriteBlockedException}
 * until a recheck finds space again.
 */
final class LogPartition implements Partition, PartitionStats {
    private static final Logger LOG = LoggerFactory.getLogger(LogPartition.class);
    /** How often a blocked partition lets a write through to find out whether the cause is gone. */
    private static final long RECHECK_NANOS = 500_000_000L;

    /** A tenant's count and its key prefix (varint length, UTF-8), shared by every key of the tenant. */
    static final class Tenant {
        final String name;
        final byte[] prefix;
        volatile long count;
        /** Pairs added for it in the group being written; writer only. */
        long pendingAdded;

        Tenant(String name, byte[] prefix) {
            this.name = name;
            this.prefix = prefix;
        }
    }

    private enum State { OPEN, CLOSING, CLOSED }

    private final int id;
    private final LogStore store;
    private final SegmentedLog log;
    private final PairIndex index;
    private final Map<String, Tenant> tenants;
    private final FileLock lock;
    private final Committer committer;
    private final SipHash hash;
    private final LongSupplier nanoTime;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile State state = State.OPEN;
    private volatile boolean syncEveryWrite;
    /** Why writes are refused now, or null; and when a write may next try. */
    private volatile WriteBlockedException blocked;
    private volatile long recheckAt;
    /** The group being gathered for the next commit, and scratch space; loop thread only, reused. */
    private final List<Add> groupAdds = new ArrayList<>();
    private final List<Tenant> groupTenants = new ArrayList<>();
    private final Map<String, Integer> groupTenantIndex = new HashMap<>();
    private final ByteSink head = new ByteSink(256);
    private final ByteSink records = new ByteSink(256);
    private final ByteSink key = new ByteSink(256);
    private final long[] h = new long[2];
    private long[] undo = new long[64];
    private int undone;
    private int recordCount;
    /** Whether this partition is on its committer's list for the current turn; loop thread only. */
    boolean pendingCommit;

    LogPartition(int id, LogStore store, SegmentedLog log, PairIndex index, Map<String, Tenant> tenants, FileLock lock,
            Committer committer, SipHash hash, boolean syncEveryWrite, LongSupplier nanoTime) {
        this.id = id;
        this.store = store;
        this.log = log;
        this.index = index;
        this.tenants = new ConcurrentHashMap<>(tenants);
        this.lock = lock;
        this.committer = committer;
        this.hash = hash;
        this.syncEveryWrite = syncEveryWrite;
        this.nanoTime = nanoTime;
    }

    @Override
    public int id() {
        return id;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    void setSyncEveryWrite(boolean sync) {
        syncEveryWrite = sync;
    }

    @Override
    public String writeBlocked() {
        return blockedReason();
    }

    /** Why writes are refused now, or null when they are taken. */
    String blockedReason() {
        String heapFull = store.heapFull();
        if (heapFull != null) {
            return WriteBlockedException.describe(id, heapFull);
        }
        WriteBlockedException b = blocked;
        return b == null ? null : b.getMessage();
    }

    @Override
    public CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        String heapFull = store.heapFull();
        if (heapFull != null) { // 507: storing more needs a restart with more heap, not a retry
            return CompletableFuture.failedFuture(new WriteBlockedException(id, true, heapFull));
        }
        WriteBlockedException b = blocked;
        if (b != null) {
            long now = nanoTime.getAsLong();
            if (now - recheckAt < 0 || !store.mayWriteAgain(b)) {
                return CompletableFuture.failedFuture(b); // refused at once, without queueing
            }
            recheckAt = now + RECHECK_NANOS; // this one write finds out; the others keep being refused
        }
        Add add = new Add(this, batch, indices, count);
        committer.submit(add);
        return add.result;
    }

    @Override
    public CompletableFuture<Long> count(String tenant) {
        if (state == State.CLOSED) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        Tenant t = tenants.get(tenant);
        return CompletableFuture.completedFuture(t == null ? 0L : t.count);
    }

    @Override
    public CompletableFuture<IdChunk> ids(String tenant, String cursor, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        SegmentedLog.Position end = log.end();
        Executor scans = store.scanExecutor();
        return CompletableFuture.supplyAsync(() -> IdScan.scan(log, tenant, cursor, end, max), scans);
    }

    @Override
    public long estimatedKeys() {
        return index.size();
    }

    @Override
    public long sstBytes() {
        try {
            return log.diskBytes();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The log's durable point moves here: called by the store's syncer for this partition's turn. */
    void sync() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            long start = System.nanoTime();
            log.sync();
            store.listener().walSynced(System.nanoTime() - start);
        } catch (IOException e) {
            LOG.error("partition {}: log sync failed: {}", id, e.toString());
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.CLOSING;
                committer.afterCommit(this::finish);
            }
        }
        return closed;
    }

    /**
     * Applies an add to the pending group on the loop: new pairs enter the index at once (so a pair sent
     * twice in one turn is new once) and their records join the group's frame. False when the add was
     * failed instead (the partition is closed).
     */
    boolean append(Add add) {
        if (state == State.CLOSED) {
            add.fail(new PartitionClosedException(id));
            return false;
        }
        ItemBatch batch = add.batch;
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
            key.reset();
            key.putBytes(t.prefix, 0, t.prefix.length);
            int idLength = key.putUtf8(batch.id(i));
            hash.hash128(key.array(), key.length(), h);
            if (index.add(h[0], h[1])) {
                if (undone + 2 > undo.length) {
                    undo = java.util.Arrays.copyOf(undo, undo.length * 2);
                }
                undo[undone++] = h[0];
                undo[undone++] = h[1];
                records.putVarint(ti);
                records.putVarint(idLength);
                records.putBytes(key.array(), t.prefix.length, idLength);
                recordCount++;
                t.pendingAdded++;
                add.added++;
            }
        }
        groupAdds.add(add);
        return true;
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
            if (recordCount > 0) {
                head.reset();
                head.setLength(Frames.HEADER);
                head.put(Frames.ADD);
                head.putVarint(groupTenants.size());
                for (Tenant t : groupTenants) {
                    head.putBytes(t.prefix, 0, t.prefix.length); // the prefix is varint length + UTF-8
                }
                head.putVarint(recordCount);
                head.putBytes(records.array(), 0, records.length());
                Frames.seal(head, 0);
                try {
                    long start = System.nanoTime();
                    log.append(head.array(), head.length());
                    if (syncEveryWrite) {
                        log.sync();
                    }
                    store.listener().written(System.nanoTime() - start);
                    blocked = null;
                } catch (IOException e) {
                    for (int u = 0; u < undone; u += 2) {
                        index.remove(undo[u], undo[u + 1]);
                    }
                    groupTenants.forEach(t -> t.pendingAdded = 0);
                    WriteBlockedException error = store.blocked(id, e);
                    blocked = error;
                    recheckAt = nanoTime.getAsLong() + RECHECK_NANOS;
                    LOG.error("partition {}: write failed, nothing of it stored; refusing writes until it can write "
                            + "again: {}", id, e.toString());
                    groupAdds.forEach(a -> a.fail(error));
                    return;
                }
            }
            for (Tenant t : groupTenants) {
                if (t.pendingAdded > 0) {
                    t.count += t.pendingAdded; // a volatile write, after the frame is written
                    t.pendingAdded = 0;
                }
            }
            for (Add add : groupAdds) {
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

    /** The tenant's entry, created on first sight (a count of 0 reads the same as no entry). */
    private Tenant tenant(String name) {
        Tenant t = tenants.get(name);
        return t != null ? t : LogStore.tenant(tenants, name);
    }

    /** Persists and releases the partition; runs on the writer as its last act for this partition. */
    private void finish() {
        state = State.CLOSED;
        try {
            log.sync();
            store.writeSnapshot(this, log.end(), index, tenants);
        } catch (IOException | RuntimeException e) {
            LOG.error("partition {}: snapshot on close failed (the log holds every write): {}", id, e.toString());
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.error("partition {}: closing the log failed: {}", id, e.toString());
        }
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.error("partition {}: releasing its lock failed: {}", id, e.toString());
        }
        LOG.info("partition {} closed", id);
        store.closed(this);
        closed.complete(null);
    }

    @Override
    public long indexBytes() {
        return index.memoryBytes();
    }


    /** An add waiting for its group's commit. */
    static final class Add {
        final LogPartition partition;
        final ItemBatch batch;
        final int[] indices;
        final int count;
        final CompletableFuture<Long> result = new CompletableFuture<>();
        long added;

        Add(LogPartition partition, ItemBatch batch, int[] indices, int count) {
            this.partition = partition;
            this.batch = batch;
            this.indices = indices;
            this.count = count;
        }

        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }
}
