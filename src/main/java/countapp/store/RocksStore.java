package countapp.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: one RocksDB per partition under {@code root/<partition>/}.
 *
 * <p>Memory is bounded per process, not per partition: every partition shares one block cache (which also
 * holds index and filter blocks) and one write-buffer manager charged to that cache. RocksDB's LOCK file
 * fences each partition, so two processes can never write the same tenant; {@link #open} waits for a
 * previous owner to let go instead of failing at once.
 */
public final class RocksStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);

    static {
        NativeLibrary.load();
    }

    /** How often each open partition's writer refreshes its cached size figures. */
    private static final long STATS_INTERVAL_MS = 5_000;

    private final Path root;
    private final int partitions;
    private final StoreListener listener;
    /** Replaced whole by {@link #setPersistInterval}; read by opens and the WAL syncer. */
    private volatile StoreOptions options;
    private final StaggeredSync walSyncs;
    private final Cache blockCache;
    private final WriteBufferManager writeBufferManager;
    private final ScheduledExecutorService walSyncer;
    /** Open partitions; written by open/close callers, read by the WAL syncer. */
    private final Map<Integer, RocksPartition> open = new ConcurrentHashMap<>();

    public RocksStore(Path root, int partitions, StoreOptions options) {
        this(root, partitions, options, StoreListener.NONE);
    }

    public RocksStore(Path root, int partitions, StoreOptions options, StoreListener listener) {
        this.root = root;
        this.partitions = partitions;
        this.listener = listener;
        this.options = options;
        // Few, large shards: LRUCache refuses an entry larger than its shard, and with the default sharding
        // (512 KB shards) the bloom filter block of a flushed memtable never fits, so every lookup re-read
        // and re-checksummed it from the file. 16 MB shards hold them.
        this.blockCache = new LRUCache(options.blockCacheBytes(), shardBits(options.blockCacheBytes()));
        this.writeBufferManager = new WriteBufferManager(options.writeBufferBytes(), blockCache);
        this.walSyncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wal-syncer");
            t.setDaemon(true);
            return t;
        });
        this.walSyncs = new StaggeredSync(partitions, walSyncer, p -> {
            RocksPartition partition = open.get(p);
            if (partition != null) {
                partition.requestWalSync();
            }
        });
        walSyncs.schedule(options.persistInterval());
        walSyncer.scheduleWithFixedDelay(this::refreshStats, STATS_INTERVAL_MS, STATS_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void refreshStats() {
        for (RocksPartition p : open.values()) {
            p.requestStats();
        }
    }

    @Override
    public CompletableFuture<Void> releaseMemory() {
        return CompletableFuture.allOf(open.values().stream().map(RocksPartition::flush).toArray(CompletableFuture[]::new));
    }

    @Override
    public int partitions() {
        return partitions;
    }

    @Override
    public void setPersistInterval(Duration interval) {
        StoreOptions updated = options.withPersistInterval(interval);
        options = updated;
        for (RocksPartition p : open.values()) {
            p.setSyncEveryWrite(interval.isZero());
        }
        walSyncs.schedule(interval);
        LOG.info("worker_persist is now {} ms", interval.toMillis());
    }

    @Override
    public Partition open(int partition, Duration timeout, BooleanSupplier stillWanted) {
        RocksPartition existing = open.get(partition);
        if (existing != null && existing.isOpen()) {
            return existing;
        }
        Path dir = root.resolve(Integer.toString(partition));
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMs = 20;
        while (true) {
            Options dbOptions = dbOptions();
            try {
                Files.createDirectories(dir);
                RocksDB db = RocksDB.open(dbOptions, dir.toString());
                RocksPartition p = new RocksPartition(partition, db, dbOptions, options, listener);
                open.put(partition, p);
                p.closed().thenRun(() -> open.remove(partition, p));
                listener.opened(partition, p);
                p.requestStats();
                LOG.info("partition {} opened at {}", partition, dir);
                return p;
            } catch (RocksDBException e) {
                dbOptions.close();
                boolean locked = e.getMessage() != null && e.getMessage().contains("lock");
                if (!locked) {
                    throw new StoreException("cannot open partition " + partition + " at " + dir + ": " + e.getMessage(), e);
                }
                if (System.nanoTime() > deadline) {
                    throw new PartitionLockedException(partition, e.getMessage());
                }
                if (!stillWanted.getAsBoolean()) {
                    throw new StoreException("partition " + partition + " was assigned elsewhere while waiting for its lock");
                }
                LOG.debug("partition {} is still held by another process; retrying in {} ms", partition, backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(500, backoffMs * 2);
            } catch (java.io.IOException e) {
                dbOptions.close();
                throw new StoreException("cannot create " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private Options dbOptions() {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setFilterPolicy(new BloomFilter(10, false))
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setBlockSize(16 * 1024);
        return new Options()
                .setCreateIfMissing(true)
                .setWriteBufferManager(writeBufferManager)
                .setWriteBufferSize(16L << 20)
                .setMaxWriteBufferNumber(3)
                // Most looked-up item keys are new, so absent: a whole-key bloom filter in each memtable
                // answers those without searching the skip list (the top frame of the add path's profile).
                .setMemtablePrefixBloomSizeRatio(0.05)
                .setMemtableWholeKeyFiltering(true)
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true)
                .setMaxOpenFiles(256)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setMaxLogFileSize(1 << 20)
                .setKeepLogFileNum(2);
    }

    /** log2 of the shard count that keeps shards at 16 MB or more (at most 16 shards). */
    static int shardBits(long cacheBytes) {
        int bits = 0;
        while (bits < 4 && (cacheBytes >> (bits + 1)) >= (16L << 20)) {
            bits++;
        }
        return bits;
    }

    @Override
    public void close() {
        walSyncer.shutdownNow();
        Partition.closeAll(open.values());
        writeBufferManager.close();
        blockCache.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a partition lock", e);
        }
    }
}
