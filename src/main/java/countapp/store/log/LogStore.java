package countapp.store.log;


import countapp.store.Partition;
import countapp.store.Store;
import countapp.store.StoreException;
import countapp.store.StaggeredSync;
import countapp.store.StoreListener;
import countapp.store.WriteBlockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import countapp.model.Retention;
import countapp.model.Window;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: per partition an append-only log of the new pairs and an in-memory index of keyed
 * hashes that says whether a pair is new without reading the log (see {@link PairIndex}). Each add costs a
 * hash, an index probe and, for new pairs, a few bytes of one group-commit write; the log is fsynced at
 * least every {@code worker_persist} by a syncer thread (or before each acknowledgement at 0).
 *
 * <p>Layout: {@code <database>/<partition>/log/}: {@code LOCK} (a file lock: one process per partition),
 * the segment files, and {@code snapshot} (index and counts as of a log position, written on a graceful
 * close so the next open reads it instead of the whole log).
 *
 * <p>Threads: every partition's writes run on one {@link WriteLoop}: the worker's event loop, or else a
 * fixed pool of the store's own loops (one per core, partition p on loop p mod pool size); adds of one loop
 * turn are committed together (see {@link Committer}). One syncer thread fsyncs; a small executor runs id
 * scans. Opening runs on the caller's thread.
 */
public final class LogStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);
    static final long SEGMENT_BYTES = 64L << 20;
    private static final long COMPACT_MINUTES = 10;
    /** A blocked partition tries again once the disk has this much room. */
    private static final long MIN_FREE_BYTES = 4L << 20;

    private final Path root;
    private final int partitions;
    private final long segmentBytes;
    private final SipHash hash;
    private final StoreListener listener;
    private final ThreadLoop[] ownLoops;
    private final java.util.function.IntFunction<Committer> committerOf;
    private final ScheduledExecutorService syncer;
    private final ExecutorService scans;
    /**
     * The named, bounded executor of the log's blocking file work that must stay off the writers (event
     * loops): creating segments ahead, fsyncing and closing sealed ones, snapshots on close, deleting
     * expired window buckets. One thread, so its tasks run in order (a snapshot after the fsyncs before it).
     */
    private final ExecutorService io;
    private final Map<Integer, LogPartition> open = new ConcurrentHashMap<>();
    private final HeapGuard heap;
    private volatile Duration persistInterval;
    private final StaggeredSync syncs;
    private final Retention windows;
    private final Clock clock;

    /** The settings of a store of {@code partitions} partitions under {@code root}, with the given hash keys. */
    public static LogStoreBuilder builder(Path root, int partitions, long hashKey0, long hashKey1) {
        return new LogStoreBuilder(root, partitions, hashKey0, hashKey1);
    }

    LogStore(LogStoreBuilder b) {
        this.heap = b.heap != null ? b.heap : HeapGuard.watchingThisJvm();
        this.windows = b.windows;
        this.clock = b.clock;
        this.segmentBytes = b.segmentBytes;
        this.root = b.root;
        this.partitions = b.partitions;
        this.hash = new SipHash(b.hashKey0, b.hashKey1);
        this.listener = b.listener;
        this.persistInterval = b.persistInterval;
        WriteLoop loop = b.loop;
        if (loop != null) {
            this.ownLoops = new ThreadLoop[0];
            Committer committer = new Committer(loop);
            this.committerOf = p -> committer;
        } else {
            int n = Math.max(1, Math.min(partitions, Runtime.getRuntime().availableProcessors()));
            this.ownLoops = new ThreadLoop[n];
            Committer[] committers = new Committer[n];
            for (int i = 0; i < n; i++) {
                ownLoops[i] = new ThreadLoop("store-writer-" + i);
                committers[i] = new Committer(ownLoops[i]);
            }
            this.committerOf = p -> committers[p % n];
        }
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "log-syncer"));
        this.syncs = new StaggeredSync(partitions, syncer, p -> {
            LogPartition partition = open.get(p);
            if (partition != null) {
                partition.sync();
            }
        });
        this.scans = Executors.newFixedThreadPool(2, r -> daemon(r, "id-scan"));
        this.io = Executors.newSingleThreadExecutor(r -> daemon(r, "log-io"));
        syncs.schedule(persistInterval);
        if (windows.enabled()) {
            // Windows past the retention leave memory and disk soon after midnight even when no write comes.
            syncer.scheduleWithFixedDelay(this::expireWindows, 1, 1, TimeUnit.MINUTES);
        }
        // Erased ids leave the old log segments within COMPACT_MINUTES of their erasure.
        syncer.scheduleWithFixedDelay(this::compactErased, 1, COMPACT_MINUTES, TimeUnit.MINUTES);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The log folder of a partition. */
    Path logDir(int partition) {
        return root.resolve(Integer.toString(partition)).resolve("log");
    }

    /**
     * Compacts, one after the other, the open partitions that erased pairs since their last compaction;
     * completes when all are done. Failures are logged (the marker stays, so the next round tries again).
     */
    public java.util.concurrent.CompletableFuture<Void> compactErased() {
        java.util.concurrent.CompletableFuture<Void> chain = java.util.concurrent.CompletableFuture.completedFuture(null);
        for (LogPartition p : open.values()) {
            if (Compactor.needed(logDir(p.id()))) {
                chain = chain.thenCompose(v -> p.compact().handle((saved, e) -> {
                    if (e != null) {
                        LOG.error("partition {}: compacting erased pairs failed (retried later): {}", p.id(), e.toString());
                    }
                    return null;
                }));
            }
        }
        return chain;
    }

    /** Today's UTC epoch day, by the injected clock: which windows are kept. */
    int today() {
        return Window.dayOfMillis(clock.millis());
    }

    /** Asks every open partition's writer to drop expired windows. Public for tests that move the clock. */
    public void expireWindows() {
        for (LogPartition p : open.values()) {
            p.committerLoop().execute(p::expireWindows);
        }
    }

    @Override
    public int partitions() {
        return partitions;
    }

    StoreListener listener() {
        return listener;
    }

    Executor scanExecutor() {
        return scans;
    }

    Executor ioExecutor() {
        return io;
    }

    @Override
    public Partition open(int partition, Duration timeout, BooleanSupplier stillWanted) {
        if (partition < 0 || partition >= partitions) {
            throw new StoreException("partition " + partition + " does not exist (0.." + (partitions - 1) + ")");
        }
        LogPartition existing = open.get(partition);
        if (existing != null && existing.isOpen()) {
            return existing;
        }
        Path dir = root.resolve(Integer.toString(partition)).resolve("log");
        FileLock lock = PartitionLock.acquire(partition, dir, timeout, stillWanted);
        try {
            long started = System.nanoTime();
            PartitionLoader.Loaded loaded = new PartitionLoader(segmentBytes, hash, io).load(dir);
            Windows w = windows.enabled() ? Windows.open(dir.resolve("windows"), windows, today(), loaded.index(), io) : null;
            LogPartition p = new LogPartition(partition, this, loaded.log(), loaded.index(), loaded.tenants(), lock,
                    committerOf.apply(partition), hash, w, loaded.erasedAny(), persistInterval.isZero(), System::nanoTime);
            open.put(partition, p);
            listener.opened(partition, p);
            LOG.info("partition {} opened at {}: {} pairs of {} tenants, {} of log replayed in {} ms", partition, dir,
                    loaded.index().size(), loaded.tenants().size(), loaded.replayedFrom(), (System.nanoTime() - started) / 1_000_000);
            return p;
        } catch (IOException | RuntimeException e) {
            PartitionLock.release(lock);
            throw e instanceof StoreException ? (StoreException) e
                    : new StoreException("cannot open partition " + partition + " at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the partition's snapshot; on the I/O executor at its close. */
    void writeSnapshot(LogPartition p, LogPosition at, PairIndex index, Map<String, Tenant> tenants)
            throws IOException {
        PartitionLoader.writeSnapshot(root.resolve(Integer.toString(p.id())).resolve("log"), at, index, tenants);
    }

    void closed(LogPartition p) {
        open.remove(p.id(), p);
        listener.closed(p.id(), p);
    }

    /** The error a failed write leaves its partition in: a full disk, or another write failure. */
    WriteBlockedException blocked(int partition, IOException e) {
        String m = String.valueOf(e.getMessage());
        boolean noSpace = m.contains("No space left") || m.contains("Disk quota exceeded");
        // The cause's class stays in the answer (a FileAlreadyExistsException or "Too many open files" explains it).
        WriteBlockedException blocked = new WriteBlockedException(partition, noSpace,
                noSpace ? "the disk is full (" + e + ")" : "writing failed: " + e);
        blocked.initCause(e);
        return blocked;
    }

    /** Why no partition may grow the index now (the heap is nearly full), or null. */
    String heapFull() {
        return heap.full();
    }

    /** Whether a blocked partition should try to write again: for a full disk, once there is room. */
    boolean mayWriteAgain(WriteBlockedException b) {
        if (!b.noSpace()) {
            return true;
        }
        try {
            return Files.getFileStore(root).getUsableSpace() >= MIN_FREE_BYTES;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public Map<Integer, String> blockedPartitions() {
        Map<Integer, String> blocked = new java.util.TreeMap<>();
        open.forEach((id, p) -> {
            String why = p.blockedReason();
            if (why != null) {
                blocked.put(id, why);
            }
        });
        return blocked;
    }

    @Override
    public void setPersistInterval(Duration interval) {
        persistInterval = interval;
        for (LogPartition p : open.values()) {
            p.setSyncEveryWrite(interval.isZero());
        }
        syncs.schedule(persistInterval);
        LOG.info("worker_persist is now {} ms", interval.toMillis());
    }

    /**
     * Staggered persistence: one tick per {@code interval / partitions} syncs the next partition, so fsync
     * work is spread over the interval rather than done all at once.
     */
    @Override
    public void close() {
        // shutdown, never shutdownNow: an interrupt during an fsync would close the segment's FileChannel
        // (ClosedByInterruptException) under the writer.
        syncer.shutdown();
        try {
            syncer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Partition.closeAll(open.values());
        for (ThreadLoop loop : ownLoops) {
            loop.stop();
        }
        io.shutdown(); // never shutdownNow: see the syncer; the closes queued their last work there
        try {
            io.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scans.shutdownNow();
        heap.close();
    }
}
