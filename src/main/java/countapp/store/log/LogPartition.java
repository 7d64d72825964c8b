package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;

import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.IdChunk;
import countapp.store.TenantCount;
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
import org.jspecify.annotations.Nullable;
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
    /** The day and month windows, or null when the windows setting is off. Writer only. */
    private final @Nullable Windows windows;
    /** Whether a pair was ever erased here: id listings then check each id against the index. */
    private volatile boolean erasedAny;
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
    private final List<byte[]> groupPrefixes = new ArrayList<>();
    private final Map<String, Integer> groupTenantIndex = new HashMap<>();
    private final ByteSink head = new ByteSink(256);
    private final ByteSink records = new ByteSink(256);
    private final ByteSink key = new ByteSink(256);
    private final long[] h = new long[2];
    private long[] undo = new long[64];
    private int undone;
    private int recordCount;
    /** Ids per chunk of a tenant erasure; tests make it small to get many chunks. */
    volatile int eraseChunk = 10_000;
    /** The pins of listings between two chunks, by the cursor of their next chunk. */
    private final Map<String, SegmentPins.Pin> listingPins = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean compacting = new java.util.concurrent.atomic.AtomicBoolean();
    /** Bytes the windows hold, refreshed at each commit; read by metrics from any thread. */
    private volatile long windowBytes;
    /** Runs between two chunks of a tenant erasure; the next chunk waits for it. Tests interleave work there. */
    volatile java.util.function.Supplier<CompletableFuture<?>> betweenEraseChunks = () -> CompletableFuture.completedFuture(null);
    /** Whether this partition is on its committer's list for the current turn; loop thread only. */
    boolean pendingCommit;

    LogPartition(int id, LogStore store, SegmentedLog log, PairIndex index, Map<String, Tenant> tenants, FileLock lock,
            Committer committer, SipHash hash, @Nullable Windows windows, boolean erasedAny, boolean syncEveryWrite,
            LongSupplier nanoTime) {
        this.windows = windows;
        this.erasedAny = erasedAny;
        this.windowBytes = windows == null ? 0 : windows.bytes();
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

    SegmentedLog log() {
        return log;
    }

    WriteLoop committerLoop() {
        return committer.loop();
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
    public CompletableFuture<Long> count(String tenant, Window window) {
        if (window.unit() == Window.Unit.ALL) {
            return count(tenant);
        }
        if (windows == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(window + " is not kept: "
                    + Windows.describe(countapp.model.Retention.NONE)));
        }
        // On the writer, after what is pending: the sets are the writer's, and an acknowledged add is in them.
        return onWriter(() -> {
            windows.expire(store.today());
            return windows.count(tenant, window);
        });
    }

    /** Runs {@code task} on the writer after the pending group's commit; fails once the partition is closed. */
    private <T> CompletableFuture<T> onWriter(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        committer.afterCommit(() -> {
            if (state == State.CLOSED) {
                result.completeExceptionally(new PartitionClosedException(id));
                return;
            }
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Long> erase(String tenant, String pairId) {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        return onWriter(() -> eraseNow(tenant, new String[] {pairId}, 1));
    }

    /**
     * Erases the tenant's pairs a chunk at a time: the ids come from a scan of the log up to its end at the
     * call (so every pair acknowledged before it is found), each chunk erased on the writer as one frame.
     * Ids already erased are skipped; an add that lands meanwhile is either erased or kept, and the count
     * follows the index either way.
     */
    @Override
    public CompletableFuture<Long> eraseTenant(String tenant) {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        SegmentedLog.Position end = log.end();
        SegmentPins.Pin pin = log.pin(IdScan.Cursor.START.segment()); // held until the last chunk (see Compactor)
        return eraseChunks(tenant, IdScan.Cursor.START, end, 0L, pin).whenComplete((n, e) -> pin.release());
    }

    private CompletableFuture<Long> eraseChunks(String tenant, IdScan.Cursor cursor, SegmentedLog.Position end,
            long erasedSoFar, SegmentPins.Pin pin) {
        pin.moveTo(cursor.segment());
        return CompletableFuture.supplyAsync(() -> IdScan.scan(log, tenant, cursor, end, eraseChunk), store.scanExecutor())
                .thenCompose(chunk -> onWriter(() -> eraseNow(tenant, chunk.ids().toArray(String[]::new), chunk.ids().size()))
                        .thenCompose(erased -> {
                            if (chunk.next() == null) {
                                return CompletableFuture.completedFuture(erasedSoFar + erased);
                            }
                            return betweenEraseChunks.get().thenCompose(
                                    v -> eraseChunks(tenant, IdScan.Cursor.parse(chunk.next()), end,
                                            erasedSoFar + erased, pin));
                        }));
    }

    /**
     * Erases pairs of one tenant on the writer: out of the index, one ERASE frame in the log (durable like an
     * add), then out of the windows. Returns how many were stored. A failed write puts them back and throws.
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // counts have one writer, this loop
    private long eraseNow(String tenant, String[] ids, int n) {
        Tenant t = tenants.get(tenant);
        if (t == null || n == 0) {
            return 0;
        }
        long[] erased = new long[2 * n];
        records.reset();
        int count = 0;
        for (int k = 0; k < n; k++) {
            int idLength = hashPair(t, ids[k]);
            if (index.remove(h[0], h[1])) {
                erased[2 * count] = h[0];
                erased[2 * count + 1] = h[1];
                count++;
                records.putVarint(0);
                records.putVarint(idLength);
                records.putBytes(key.array(), t.prefix.length, idLength);
            }
        }
        if (count == 0) {
            return 0;
        }
        try {
            Compactor.markNeeded(store.logDir(id)); // the erased ids' bytes must leave the old segments later
            Frames.writePairs(head, Frames.ERASE, List.of(t.prefix), count, records);
            log.append(head.array(), head.length());
            if (syncEveryWrite) {
                log.sync();
            }
        } catch (IOException e) {
            for (int k = 0; k < count; k++) {
                index.add(erased[2 * k], erased[2 * k + 1]);
            }
            throw store.blocked(id, e);
        } finally {
            records.reset();
        }
        erasedAny = true;
        t.count -= count;
        if (windows != null) {
            for (int k = 0; k < count; k++) {
                windows.erase(tenant, erased[2 * k], erased[2 * k + 1]);
            }
            try {
                windows.write();
                if (syncEveryWrite) {
                    windows.sync();
                }
            } catch (IOException e) {
                // Erased all-time already; a replay drops window records of pairs all time no longer holds.
                LOG.warn("partition {}: writing an erasure to the window logs failed (a restart still drops the "
                        + "pairs from every window): {}", id, e.toString());
            }
            windows.committed();
        }
        return count;
    }

    /**
     * Rewrites the sealed log segments without the erased pairs (see {@link Compactor}); completes with the
     * bytes removed. At most one compaction of a partition runs at a time; a second call joins nothing and
     * completes with 0.
     */
    CompletableFuture<Long> compact() {
        if (state != State.OPEN || !compacting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(0L);
        }
        Compactor compactor = new Compactor(store.logDir(id), log, hash, hashes -> onWriter(() -> {
            boolean[] held = new boolean[hashes.length / 2];
            for (int i = 0; i < held.length; i++) {
                held[i] = index.contains(hashes[2 * i], hashes[2 * i + 1]);
            }
            return held;
        }));
        // The current segment is sealed first (on the writer), so the erased pairs it holds go too.
        return onWriter(() -> {
            try {
                log.seal();
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).thenApplyAsync(v -> {
            try {
                return compactor.run(() -> state == State.OPEN);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, store.scanExecutor()).whenComplete((saved, e) -> compacting.set(false));
    }

    @Override
    public CountCursor counts(Window window) {
        if (window.unit() != Window.Unit.ALL && windows == null) {
            return max -> CompletableFuture.failedFuture(new IllegalArgumentException(window + " is not kept: "
                    + Windows.describe(countapp.model.Retention.NONE)));
        }
        return new LogCountCursor(window);
    }

    /** Walks the tenant map (all time) or a window's sets on the writer, a chunk per call. */
    private final class LogCountCursor implements CountCursor {
        private final Window window;
        private java.util.@Nullable Iterator<? extends Map.Entry<String, ?>> tenantsLeft;

        LogCountCursor(Window window) {
            this.window = window;
        }

        @Override
        public CompletableFuture<List<TenantCount>> next(int max) {
            return onWriter(() -> {
                java.util.Iterator<? extends Map.Entry<String, ?>> it = tenantsLeft;
                if (it == null) {
                    it = window.unit() == Window.Unit.ALL ? tenants.entrySet().iterator() : windows.tenants(window);
                    tenantsLeft = it;
                }
                List<TenantCount> chunk = new ArrayList<>(Math.min(max, 1024));
                while (chunk.size() < max && it.hasNext()) {
                    Map.Entry<String, ?> e = it.next();
                    long c = e.getValue() instanceof Tenant ? ((Tenant) e.getValue()).count : ((LongSet) e.getValue()).size();
                    if (c > 0) {
                        chunk.add(new TenantCount(e.getKey(), c));
                    }
                }
                return chunk;
            });
        }
    }

    @Override
    public CompletableFuture<IdChunk> ids(String tenant, String cursor, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        IdScan.Cursor from;
        try {
            from = IdScan.Cursor.parse(cursor);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        SegmentedLog.Position end = log.end();
        Executor scans = store.scanExecutor();
        SegmentPins.Pin pin = listingPin(cursor, from);
        CompletableFuture<IdChunk> chunk = CompletableFuture.supplyAsync(() -> IdScan.scan(log, tenant, from, end, max), scans)
                .whenComplete((c, e) -> keepPin(pin, c));
        // The log still holds erased ids: once anything was erased, keep only the ids the index holds.
        return erasedAny ? chunk.thenCompose(c -> onWriter(() -> stored(tenant, c))) : chunk;
    }

    /**
     * The pin of a listing that resumes at {@code cursor}: the one its previous chunk left (moved to the
     * cursor's segment), or a new one when the listing starts, or its pin's lease ran out or was lost with a
     * restart (the cursor's generation check then catches a rewrite that happened meanwhile).
     */
    private SegmentPins.Pin listingPin(@Nullable String cursor, IdScan.Cursor from) {
        SegmentPins.Pin pin = cursor == null ? null : listingPins.remove(cursor);
        if (pin == null) {
            return log.pin(from.segment());
        }
        pin.moveTo(from.segment());
        return pin;
    }

    /** Keeps a listing's pin for its next chunk, under that chunk's cursor; releases it when the listing is done. */
    private void keepPin(SegmentPins.Pin pin, @Nullable IdChunk chunk) {
        if (chunk == null || chunk.next() == null) {
            pin.release();
            return;
        }
        pin.moveTo(IdScan.Cursor.parse(chunk.next()).segment());
        listingPins.values().removeIf(SegmentPins.Pin::expired); // abandoned listings
        listingPins.put(chunk.next(), pin);
    }

    private IdChunk stored(String tenant, IdChunk chunk) {
        Tenant t = tenants.get(tenant);
        List<String> kept = new ArrayList<>(chunk.ids().size());
        for (String pairId : chunk.ids()) {
            if (t != null) {
                hashPair(t, pairId);
                if (index.contains(h[0], h[1])) {
                    kept.add(pairId);
                }
            }
        }
        return new IdChunk(kept, chunk.next());
    }

    @Override
    public long pairs() {
        return index.size();
    }

    @Override
    public long diskBytes() {
        return log.diskBytes(); // a counter: a metrics scrape on the event loop lists no folder
    }

    /** The log's durable point moves here: called by the store's syncer for this partition's turn. */
    void sync() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            long start = System.nanoTime();
            log.sync();
            if (windows != null) {
                windows.sync();
            }
            store.listener().logSynced(System.nanoTime() - start);
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
            int idLength = hashPair(t, batch.id(i));
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
            int day = batch.day(i);
            if (w != null && day != ItemBatch.NO_DAY && !w.add(t.name, day, h[0], h[1])) {
                add.late++;
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
                    log.append(head.array(), head.length());
                    if (syncEveryWrite) {
                        log.sync();
                    }
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
                for (Add add : groupAdds) {
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

    /** Drops windows past the retention and refreshes their memory figure; runs on the writer. */
    void expireWindows() {
        if (windows != null && state != State.CLOSED) {
            windows.expire(store.today());
            windowBytes = windows.bytes();
        }
    }

    /**
     * Hashes the pair (tenant, id) into {@link #h}, leaving its key (the tenant's prefix, then the id's UTF-8)
     * in {@link #key}; returns the id's length in bytes. Writer only: both are scratch space.
     */
    private int hashPair(Tenant t, String pairId) {
        key.reset();
        key.putBytes(t.prefix, 0, t.prefix.length);
        int idLength = key.putUtf8(pairId);
        hash.hash128(key.array(), key.length(), h);
        return idLength;
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
        return t != null ? t : LogStore.tenant(tenants, name);
    }

    /**
     * Ends the partition on the writer (no write is taken after this), then hands its persisting to the
     * store's I/O executor, behind the fsyncs of sealed segments queued before: the snapshot, the log's
     * close and the lock's release are blocking file work that must not run on an event loop.
     */
    private void finish() {
        state = State.CLOSED;
        store.ioExecutor().execute(this::persistAndRelease);
    }

    /** Writes the snapshot and releases the partition; on the I/O executor, the last act for this partition. */
    private void persistAndRelease() {
        if (windows != null) {
            windows.close();
        }
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
        return index.memoryBytes() + windowBytes;
    }


    /** An add waiting for its group's commit. */
    static final class Add {
        final LogPartition partition;
        final ItemBatch batch;
        final int[] indices;
        final int count;
        final CompletableFuture<Long> result = new CompletableFuture<>();
        long added;
        /** Items that counted in no window (older than every kept one). */
        long late;

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
