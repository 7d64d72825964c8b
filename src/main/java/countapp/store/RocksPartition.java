package countapp.store;

import countapp.model.ItemBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RocksDB partition driven by a single writer thread: the only thread that ever touches the DB handle.
 *
 * <p>Design: callers enqueue commands; the writer takes everything queued (group commit), looks up which
 * pairs are new with one multi-get, and writes the new item keys together with the updated tenant counts
 * in one {@link WriteBatch}, so a count can never disagree with its set. Writes, id scans, WAL syncs and
 * the final close all run on that one thread and need no locks. The one exception is {@link #count}, a
 * single point read done on the caller's thread; a reader counter keeps the close from freeing the
 * handle under it.
 *
 * <p>Closing: {@link #close} enqueues a close command; work queued before it is finished first. A command
 * offered after the writer exits is failed by whichever side sees it last (see {@link #submit}).
 */
final class RocksPartition implements Partition, PartitionStats, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RocksPartition.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_GROUP = 256;

    private enum State { OPEN, CLOSING, TERMINATED }

    private final int id;
    private final RocksDB db;
    private final StoreListener listener;
    private final Options dbOptions;
    private final WriteOptions asyncWrites = new WriteOptions().setSync(false);
    private final WriteOptions syncedWrites = new WriteOptions().setSync(true);
    private volatile boolean syncEveryWrite;
    private final BlockingQueue<Command> queue;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread writer;
    private volatile State state = State.OPEN;
    /** Counts being read on callers' threads right now (see {@link #count}). */
    private final AtomicInteger readers = new AtomicInteger();
    /** Set by the WAL syncer, cleared by the writer: at most one sync request is ever queued. */
    private volatile boolean syncRequested;
    /** As {@link #syncRequested}, for refreshing the cached size figures. */
    private volatile boolean statsRequested;
    /** Whether the memtable holds writes not yet flushed; touched only by the writer thread. */
    private boolean unflushed;
    /** Size figures cached by the writer, so metrics never touch the database from another thread. */
    private volatile long estimatedKeys;
    private volatile long sstBytes;

    RocksPartition(int id, RocksDB db, Options dbOptions, StoreOptions options, StoreListener listener) {
        this.id = id;
        this.db = db;
        this.listener = listener;
        this.dbOptions = dbOptions;
        this.syncEveryWrite = options.persistInterval().isZero();
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.writer = new Thread(this, "partition-" + id + "-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public int id() {
        return id;
    }

    void setSyncEveryWrite(boolean sync) {
        syncEveryWrite = sync;
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
        Add add = new Add(batch, indices, count);
        submit(add);
        return add.result;
    }

    /**
     * Reads the count on the caller's thread. Why not on the writer: a count is one point read (memtable or
     * block cache), far cheaper than the two thread wake-ups of a hand-off, and RocksDB reads are
     * thread-safe. Every write batch carries its counts, so a read never sees a count that disagrees with
     * the set, and it sees every add already acknowledged. {@link #readers} fences the close: the writer
     * closes the handle only after marking the partition terminated and seeing no reader inside.
     */
    @Override
    public CompletableFuture<Long> count(String tenant) {
        readers.incrementAndGet();
        try {
            if (state != State.OPEN) {
                return CompletableFuture.failedFuture(new PartitionClosedException(id));
            }
            return CompletableFuture.completedFuture(readCount(tenant.getBytes(StandardCharsets.UTF_8)));
        } catch (RocksDBException | RuntimeException e) {
            return CompletableFuture.failedFuture(storeError("count", e));
        } finally {
            readers.decrementAndGet();
        }
    }

    @Override
    public CompletableFuture<IdChunk> ids(String tenant, String after, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        Scan scan = new Scan(tenant, after, max);
        submit(scan);
        return scan.result;
    }

    @Override
    public long estimatedKeys() {
        return estimatedKeys;
    }

    @Override
    public long sstBytes() {
        return sstBytes;
    }

    @Override
    public CompletableFuture<Void> close() {
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.CLOSING;
                // put, not offer: the close must get in even behind a full queue.
                try {
                    queue.put(new Close());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    writer.interrupt();
                }
            }
        }
        return closed;
    }

    /**
     * Asks the writer to fsync the WAL. The flag is the request; the queued command only wakes an idle
     * writer. When the queue is full the flag stays set and the busy writer sees it after its current
     * group, so a sync is never dropped (which would stretch the power-loss window past worker_persist).
     */
    void requestWalSync() {
        if (state == State.OPEN && !syncRequested) {
            syncRequested = true;
            queue.offer(new Sync());
        }
    }

    /** Asks the writer to refresh {@link #estimatedKeys} and {@link #sstBytes}; at most one request is queued. */
    void requestStats() {
        if (state == State.OPEN && !statsRequested) {
            statsRequested = true;
            if (!queue.offer(new Stats())) {
                statsRequested = false;
            }
        }
    }

    /** Flushes the memtable to disk, freeing its memory; completes once done (at once if nothing was written). */
    CompletableFuture<Void> flush() {
        Flush f = new Flush();
        submit(f);
        return f.result;
    }

    private void submit(Command command) {
        if (state != State.OPEN) {
            command.fail(new PartitionClosedException(id));
            return;
        }
        if (!queue.offer(command)) {
            command.fail(new StoreException("partition " + id + " is overloaded: " + queue.size() + " requests queued"));
            return;
        }
        // The writer may have exited between the state check and the offer: fail what it will never see.
        if (state == State.TERMINATED) {
            failQueued();
        }
    }

    @Override
    public void run() {
        List<Command> group = new ArrayList<>(MAX_GROUP);
        boolean closing = false;
        while (!closing) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                LOG.warn("partition {} writer interrupted; closing", id);
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            try {
                closing = process(group);
            } catch (Throwable t) { // the writer must survive anything, or the partition hangs for good
                LOG.error("partition {}: unexpected failure; failing {} queued commands", id, group.size(), t);
                StoreException error = new StoreException("partition " + id + ": internal error: " + t);
                for (Command c : group) {
                    closing |= c instanceof Close;
                    c.fail(error);
                }
            }
            group.clear();
        }
        finish();
    }

    /** Handles one group of commands; true when it held the close command. */
    private boolean process(List<Command> group) {
        List<Add> adds = new ArrayList<>();
        boolean sync = false;
        boolean stats = false;
        boolean close = false;
        for (Command c : group) {
            if (c instanceof Add) {
                adds.add((Add) c);
            } else if (c instanceof Sync) {
                sync = true;
            } else if (c instanceof Stats) {
                stats = true;

            } else if (c instanceof Close) {
                close = true;
            }
        }
        if (!adds.isEmpty()) {
            writeAdds(adds);
        }
        for (Command c : group) {
            if (c instanceof Flush) {
                ((Flush) c).result.complete(flushMemtable());
            } else if (c instanceof Scan) {
                Scan scan = (Scan) c;
                try {
                    scan.result.complete(IdScanner.scan(db, scan.tenant, scan.after, scan.max));
                } catch (RocksDBException | RuntimeException e) {
                    scan.fail(storeError("id scan", e));
                }
            }
        }
        if (sync || syncRequested) {
            syncRequested = false;
            syncWal();
        }
        if (stats) {
            statsRequested = false;
            readStats();
        }
        return close;
    }

    private void writeAdds(List<Add> adds) {
        // Every item key of the group, which command it came from and its tenant.
        int total = 0;
        for (Add add : adds) {
            total += add.count;
        }
        byte[][] keys = new byte[total][];
        int[] keyOwner = new int[total];
        String[] keyTenants = new String[total];
        int n = 0;
        for (int a = 0; a < adds.size(); a++) {
            Add add = adds.get(a);
            String lastTenant = null;
            byte[] tenantBytes = null;
            for (int i = 0; i < add.count; i++) {
                int index = add.indices[i];
                String tenant = add.batch.tenant(index);
                if (!tenant.equals(lastTenant)) {
                    lastTenant = tenant;
                    tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
                }
                keys[n] = KeyCodec.itemKey(tenantBytes, add.batch.id(index));
                keyOwner[n] = a;
                keyTenants[n] = tenant;
                n++;
            }
        }
        if (n == 0) {
            // Adds of zero items: nothing to look up (RocksDB's multiGetAsList asserts a non-empty key list).
            for (Add add : adds) {
                add.result.complete(0L);
            }
            return;
        }
        // Unique keys in key order; a pair sent twice in the group is added (and credited) once, to the
        // command that sent it first.
        int[] order = KeyOrder.sortedIndices(keys, n);
        List<byte[]> unique = new ArrayList<>(n);
        int[] uniqueIndex = new int[n];
        int u = 0;
        for (int k = 0; k < n; k++) {
            if (k > 0 && KeyOrder.sameKey(keys, order[k - 1], order[k])) {
                continue;
            }
            uniqueIndex[u++] = order[k];
            unique.add(keys[order[k]]);
        }
        long[] addedByCommand = new long[adds.size()];
        try (WriteBatch batch = new WriteBatch()) {
            List<byte[]> existing = db.multiGetAsList(unique);
            Map<String, Long> addedByTenant = new HashMap<>();
            for (int k = 0; k < u; k++) {
                if (existing.get(k) == null) {
                    int item = uniqueIndex[k];
                    batch.put(keys[item], EMPTY);
                    addedByCommand[keyOwner[item]]++;
                    addedByTenant.merge(keyTenants[item], 1L, Long::sum);
                }
            }
            for (Map.Entry<String, Long> e : addedByTenant.entrySet()) {
                byte[] countKey = KeyCodec.countKey(e.getKey().getBytes(StandardCharsets.UTF_8));
                long current = KeyCodec.decodeCount(db.get(countKey));
                batch.put(countKey, KeyCodec.encodeCount(current + e.getValue()));
            }
            if (batch.count() > 0) {
                long start = System.nanoTime();
                db.write(syncEveryWrite ? syncedWrites : asyncWrites, batch);
                listener.written(System.nanoTime() - start);
                unflushed = true;
            }
        } catch (RocksDBException | RuntimeException e) {
            StoreException error = storeError("write", e);
            for (Add add : adds) {
                add.fail(error);
            }
            return;
        }
        for (int a = 0; a < adds.size(); a++) {
            adds.get(a).result.complete(addedByCommand[a]);
        }
    }

    private long readCount(byte[] tenant) throws RocksDBException {
        return KeyCodec.decodeCount(db.get(KeyCodec.countKey(tenant)));
    }

    private void syncWal() {
        if (syncEveryWrite) {
            return;
        }
        try {
            long start = System.nanoTime();
            db.flushWal(true);
            listener.walSynced(System.nanoTime() - start);
        } catch (RocksDBException e) {
            LOG.error("partition {}: WAL sync failed: {}", id, e.getMessage());
        }
    }

    /** Null either way: a failed flush only means the memory stays in use (the WAL holds every write). */
    private Void flushMemtable() {
        if (!unflushed) {
            return null;
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
            unflushed = false;
        } catch (RocksDBException e) {
            LOG.warn("partition {}: memtable flush failed (the WAL still holds every write): {}", id, e.getMessage());
        }
        return null;
    }

    private void readStats() {
        try {
            estimatedKeys = db.getLongProperty("rocksdb.estimate-num-keys");
            sstBytes = db.getLongProperty("rocksdb.total-sst-files-size");
        } catch (RocksDBException e) {
            LOG.warn("partition {}: cannot read size properties: {}", id, e.getMessage());
        }
    }

    private StoreException storeError(String what, Exception e) {
        LOG.error("partition {}: {} failed", id, what, e);
        return new StoreException("partition " + id + ": " + what + " failed: " + e.getMessage(), e);
    }

    /** Persists and releases the partition; runs on the writer thread as its last act. */
    private void finish() {
        state = State.TERMINATED;
        failQueued();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flushWal(true);
            db.flush(flush);
        } catch (RocksDBException e) {
            LOG.error("partition {}: flush on close failed (the WAL still holds every write): {}", id, e.getMessage());
        }
        while (readers.get() > 0) { // state is TERMINATED: no new reader gets in; let the last ones out
            Thread.onSpinWait();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            LOG.error("partition {}: close failed: {}", id, e.getMessage());
        }
        asyncWrites.close();
        syncedWrites.close();
        dbOptions.close();
        LOG.info("partition {} closed", id);
        listener.closed(id, this);
        closed.complete(null);
    }

    private void failQueued() {
        Command c;
        while ((c = queue.poll()) != null) {
            if (!(c instanceof Close)) {
                c.fail(new PartitionClosedException(id));
            }
        }
    }

    private abstract static class Command {
        abstract void fail(Throwable error);
    }

    private static final class Add extends Command {
        final ItemBatch batch;
        final int[] indices;
        final int count;
        final CompletableFuture<Long> result = new CompletableFuture<>();

        Add(ItemBatch batch, int[] indices, int count) {
            this.batch = batch;
            this.indices = indices;
            this.count = count;
        }

        @Override
        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }

    private static final class Scan extends Command {
        final String tenant;
        final String after;
        final int max;
        final CompletableFuture<IdChunk> result = new CompletableFuture<>();

        Scan(String tenant, String after, int max) {
            this.tenant = tenant;
            this.after = after;
            this.max = max;
        }

        @Override
        void fail(Throwable error) {
            result.completeExceptionally(error);
        }
    }

    private static final class Stats extends Command {
        @Override
        void fail(Throwable error) {}
    }

    private static final class Flush extends Command {
        final CompletableFuture<Void> result = new CompletableFuture<>();

        @Override
        void fail(Throwable error) {
            result.complete(null); // a closed partition has nothing left in memory
        }
    }

    private static final class Sync extends Command {
        @Override
        void fail(Throwable error) {}
    }

    private static final class Close extends Command {
        @Override
        void fail(Throwable error) {}
    }
}
