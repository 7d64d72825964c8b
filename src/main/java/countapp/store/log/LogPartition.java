package countapp.store.log;

import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.PartitionStats;
import countapp.store.WriteBlockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open partition of the log store: its {@link SegmentedLog}, its {@link PairIndex} and its tenants'
 * counts. It admits and routes the partition's operations and owns its life (open, close, snapshot); the
 * jobs are done by its {@link GroupWriter} (adds, group commit, write-blocking), its {@link Erasures},
 * its {@link IdListing} and {@link LogCountCursor}s, and the {@link Compactor}.
 *
 * <p>Threads: adds, erasures and the close run on the partition's {@link WriteLoop}, the only thread that
 * touches the index and the windows and appends to the log; a loop turn's adds are written as one frame
 * (see {@link Committer}). A count is a read of a volatile field from any thread (see {@link GroupWriter}
 * for why it never counts a pair that is not stored). Id scans read the log files on the store's scan
 * executor, up to the end the log had when they started. The snapshot, the log's close and the lock's
 * release run on the store's I/O executor, after the writer has ended the partition.
 */
final class LogPartition implements Partition, PartitionStats {
    private static final Logger LOG = LoggerFactory.getLogger(LogPartition.class);

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
    private final GroupWriter writer;
    final Erasures erasures;
    private final IdListing listing;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Changed under this object's monitor (close) or on the writer (finish); read from any thread. */
    private volatile State state = State.OPEN;
    private final AtomicBoolean compacting = new AtomicBoolean();
    /** Whether this partition is on its committer's list for the current turn; loop thread only. */
    boolean pendingCommit;

    LogPartition(int id, LogStore store, SegmentedLog log, PairIndex index, Map<String, Tenant> tenants, FileLock lock,
            Committer committer, SipHash hash, @Nullable Windows windows, boolean erasedAny, boolean syncEveryWrite,
            LongSupplier nanoTime) {
        this.windows = windows;
        this.id = id;
        this.store = store;
        this.log = log;
        this.index = index;
        this.tenants = new ConcurrentHashMap<>(tenants);
        this.lock = lock;
        this.committer = committer;
        this.hash = hash;
        PairKeys keys = new PairKeys(hash);
        this.writer = new GroupWriter(id, store, log, index, this.tenants, windows, keys, syncEveryWrite, nanoTime);
        this.erasures = new Erasures(this, store, log, index, this.tenants, windows, keys, writer, erasedAny);
        this.listing = new IdListing(this, store, log, index, this.tenants, keys, erasures);
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
        writer.setSyncEveryWrite(sync);
    }

    @Override
    public String writeBlocked() {
        return blockedReason();
    }

    /** Why writes are refused now, or null when they are taken. */
    String blockedReason() {
        return writer.blockedReason();
    }

    @Override
    public CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        WriteBlockedException refused = writer.refusal();
        if (refused != null) {
            return CompletableFuture.failedFuture(refused); // refused at once, without queueing
        }
        PendingAdd add = new PendingAdd(this, batch, indices, count);
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
    <T> CompletableFuture<T> onWriter(Supplier<T> task) {
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
        return erasures.erase(tenant, pairId);
    }

    /** Erases the tenant's pairs a chunk at a time (see {@link Erasures#eraseTenant}). */
    @Override
    public CompletableFuture<Long> eraseTenant(String tenant) {
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        return erasures.eraseTenant(tenant);
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
                throw new UncheckedIOException(e);
            }
        }).thenApplyAsync(v -> {
            try {
                return compactor.run(() -> state == State.OPEN);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, store.scanExecutor()).whenComplete((saved, e) -> compacting.set(false));
    }

    @Override
    public CountCursor counts(Window window) {
        return LogCountCursor.of(this, tenants, windows, window);
    }

    @Override
    public CompletableFuture<IdChunk> ids(String tenant, String cursor, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        if (state != State.OPEN) {
            return CompletableFuture.failedFuture(new PartitionClosedException(id));
        }
        return listing.ids(tenant, cursor, max);
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
     * Applies an add to the pending group on the loop (see {@link GroupWriter#append}). False when the add
     * was failed instead (the partition is closed).
     */
    boolean append(PendingAdd add) {
        if (state == State.CLOSED) {
            add.fail(new PartitionClosedException(id));
            return false;
        }
        writer.append(add);
        return true;
    }

    /** Writes the pending group as one frame (see {@link GroupWriter#commit}); runs on the loop. */
    void commit() {
        writer.commit();
    }

    /** Drops windows past the retention and refreshes their memory figure; runs on the writer. */
    void expireWindows() {
        if (state != State.CLOSED) {
            writer.expireWindows();
        }
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
        return index.memoryBytes() + writer.windowBytes();
    }
}
