package countapp.bench.shootout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.IndexType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * RocksDB with fixed-size hashed keys. The default column family maps each pair's 16-byte key (see {@link
 * HashedBatch}) to the id's UTF-8 bytes; the {@code counts} column family maps a tenant's UTF-8 name to its
 * count (8 bytes, big-endian), written in the same {@link WriteBatch} as the pairs it counts. An add
 * hashes and de-duplicates the batch, learns which pairs are stored with one multi-get, and writes the
 * absent ones with the tenants' new counts (WAL on, no sync per write: when the write returns, the WAL
 * record is in the OS). A background thread calls {@code flushWal(true)} once a second.
 *
 * <p>Listing a tenant's ids stays possible but costs a full scan: a stored id belongs to tenant T when
 * the keyed hash of (T, id) equals its key.
 *
 * <p>The writer keeps the counts of the tenants it has written in memory, so an add does not read them
 * back; {@link #count} reads the store.
 */
final class RocksHashed implements Candidate, ShootoutHooks {
    /**
     * An option set. {@link #PROJECT} is what the retired RocksDB engine (format 1) used: whole-key bloom
     * filters (10 bits per key) cached with the index blocks, 16 KB blocks, 16 MB write buffers within a
     * 32 MB memtable budget charged to the same 32 MB block cache, a whole-key bloom in each memtable, LZ4
     * then ZSTD at the bottom level. {@link #VARIANTS} change one thing each.
     *
     * @param memtablesInCache whether the memtable budget is charged to the block cache (so memtables and
     *     cached blocks share {@code cacheBytes}), as in the retired engine
     * @param indexAndFiltersInCache whether index and filter blocks live in the block cache (bounded, but
     *     evicted by data blocks and memtable charges), as in the retired engine, or with the table readers
     */
    record Tuning(String suffix, long writeBufferBytes, long memtableBudgetBytes, long cacheBytes, boolean memtablesInCache,
            int blockSizeBytes, boolean noCompressionL0L1, boolean blockHashIndex, boolean pointLookup, boolean partitioned,
            boolean indexAndFiltersInCache) {
        static final Tuning PROJECT = new Tuning("project", 16L << 20, 32L << 20, 32L << 20, true, 16 << 10, false, false, false, false,
                true);

        /** The variants selectable as {@code rocksdb-hashed-<suffix>}. */
        static final List<Tuning> VARIANTS = List.of(
                PROJECT,
                // LZ4 finds little in random keys and hex ids; ZSTD at the bottom stays.
                PROJECT.named("nocomp01").withNoCompressionL0L1(),
                // 64 MB write buffers, 128 MB memtable budget; the cache grows by the same 96 MB (it is charged).
                PROJECT.named("bigbuf").withMemory(64L << 20, 128L << 20, 128L << 20, true),
                // Memtables outside the cache: the 32 MB hold only blocks (32 MB more memory in all).
                PROJECT.named("cacheonly").withMemory(16L << 20, 32L << 20, 32L << 20, false),
                // 4 KB blocks with a hash index inside each data block (as optimizeForPointLookup sets).
                PROJECT.named("hashidx").withSmallHashedBlocks(),
                // ColumnFamilyOptions.optimizeForPointLookup(32 MB): its table options and cache replace the project's.
                PROJECT.named("pointlookup").withPointLookup(),
                // Two-level index, filter partitions of 4 KB, top level pinned, index and filter blocks in a
                // high-priority half of the cache: a lookup that misses the cache reads a 4 KB partition, not a
                // table's whole filter (at 10 bits per key, 100 M keys have 125 MB of filters, four times the cache).
                PROJECT.named("partitioned").withPartitionedIndexAndFilters(),
                // Index and filter blocks held by the table readers, outside the cache (RocksDB's default): never
                // evicted, but their memory (about 1.5 B per item) is not bounded by the cache.
                PROJECT.named("filtersinmem").withIndexAndFiltersOutsideCache());

        Tuning named(String name) {
            return new Tuning(name, writeBufferBytes, memtableBudgetBytes, cacheBytes, memtablesInCache, blockSizeBytes,
                    noCompressionL0L1, blockHashIndex, pointLookup, partitioned, indexAndFiltersInCache);
        }

        Tuning withMemory(long writeBuffer, long memtableBudget, long cache, boolean inCache) {
            return new Tuning(suffix, writeBuffer, memtableBudget, cache, inCache, blockSizeBytes, noCompressionL0L1,
                    blockHashIndex, pointLookup, partitioned, indexAndFiltersInCache);
        }

        Tuning withNoCompressionL0L1() {
            return new Tuning(suffix, writeBufferBytes, memtableBudgetBytes, cacheBytes, memtablesInCache, blockSizeBytes,
                    true, blockHashIndex, pointLookup, partitioned, indexAndFiltersInCache);
        }

        Tuning withSmallHashedBlocks() {
            return new Tuning(suffix, writeBufferBytes, memtableBudgetBytes, cacheBytes, memtablesInCache, 4 << 10,
                    noCompressionL0L1, true, pointLookup, partitioned, indexAndFiltersInCache);
        }

        Tuning withPointLookup() {
            return new Tuning(suffix, writeBufferBytes, memtableBudgetBytes, cacheBytes, memtablesInCache, blockSizeBytes,
                    noCompressionL0L1, blockHashIndex, true, partitioned, indexAndFiltersInCache);
        }

        Tuning withIndexAndFiltersOutsideCache() {
            return new Tuning(suffix, writeBufferBytes, memtableBudgetBytes, cacheBytes, memtablesInCache, blockSizeBytes,
                    noCompressionL0L1, blockHashIndex, pointLookup, partitioned, false);
        }

        Tuning withPartitionedIndexAndFilters() {
            return new Tuning(suffix, writeBufferBytes, memtableBudgetBytes, cacheBytes, memtablesInCache, blockSizeBytes,
                    noCompressionL0L1, blockHashIndex, pointLookup, true, indexAndFiltersInCache);
        }

        /**
         * The same with every memory size divided by {@code divisor}: a store of N / divisor items then
         * stands in for one of N items in the ratio of data to cache and memtables (for quick experiments).
         */
        Tuning scaledDown(int divisor) {
            return new Tuning(suffix + "/" + divisor, writeBufferBytes / divisor, memtableBudgetBytes / divisor,
                    cacheBytes / divisor, memtablesInCache, blockSizeBytes, noCompressionL0L1, blockHashIndex, pointLookup,
                    partitioned, indexAndFiltersInCache);
        }
    }

    /**
     * The option set of {@code rocksdb-hashed}: the project's, but with 4 KB blocks that carry a hash index
     * (a lookup that reaches a data block reads, checksums and decompresses a quarter as much and finds its
     * key without a binary search) and with index and filter blocks held by the table readers instead of
     * the block cache (where, at 10 M items and more, data blocks and the memtables' charges evicted them and
     * lookups read them again). That costs about 1.5 bytes of memory per item outside the cache (10-bit
     * filters plus the index of 4 KB blocks): 15 MB at 10 M items, 150 MB at 100 M.
     */
    static final Tuning BEST = Tuning.PROJECT.named("best").withSmallHashedBlocks().withIndexAndFiltersOutsideCache();

    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] COUNTS = "counts".getBytes(StandardCharsets.UTF_8);

    private final Path dir;
    /** Native objects to close after the database, in this order. */
    private final List<AbstractNativeReference> resources = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle itemsCf;
    private final ColumnFamilyHandle countsCf;
    private final WriteOptions writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
    private final ReadOptions readOptions = new ReadOptions();
    /** Block cache misses per lookup, for {@link #describe}. */
    private final Statistics statistics = new Statistics();
    private final HashedBatch batch;
    /** Stored count of each tenant the writer has touched. */
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, long[]> addedByTenant = new HashMap<>();
    private final ScheduledExecutorService syncer;

    RocksHashed(Path dir, Tuning tuning) throws IOException, RocksDBException {
        this.dir = dir;
        this.batch = HashedBatch.open(dir);
        // Shards of at least 16 MB, as the retired engine (a flushed memtable's filter block must fit in one).
        // With partitions, half the cache is a high-priority pool for index and filter blocks (RocksDB's advice).
        Cache cache = new LRUCache(tuning.cacheBytes(), shardBits(tuning.cacheBytes()), false, tuning.partitioned() ? 0.5 : 0);
        DBOptions dbOptions = new DBOptions()
                .setStatistics(statistics) // every option set has it, the project's too (the retired engine had none)
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(256)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setMaxLogFileSize(1 << 20)
                .setKeepLogFileNum(2);
        if (tuning.memtablesInCache()) {
            WriteBufferManager wbm = new WriteBufferManager(tuning.memtableBudgetBytes(), cache);
            dbOptions.setWriteBufferManager(wbm);
            resources.add(wbm);
        } else {
            dbOptions.setDbWriteBufferSize(tuning.memtableBudgetBytes());
        }
        ColumnFamilyOptions items = columnFamilyOptions(tuning, cache);
        // The counts are a few hundred bytes per tenant: the project's options, with this set's memory sizes.
        ColumnFamilyOptions countOptions = columnFamilyOptions(Tuning.PROJECT.withMemory(tuning.writeBufferBytes(),
                tuning.memtableBudgetBytes(), tuning.cacheBytes(), tuning.memtablesInCache()), cache);
        resources.addAll(List.of(dbOptions, items, countOptions, cache, writeOptions, readOptions, statistics));
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, items),
                new ColumnFamilyDescriptor(COUNTS, countOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException | RuntimeException e) {
            resources.forEach(AbstractNativeReference::close);
            throw e;
        }
        this.itemsCf = handles.get(0);
        this.countsCf = handles.get(1);
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rocksdb-wal-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::syncWal, 1, 1, TimeUnit.SECONDS);
    }

    /** log2 of the shard count that keeps shards at 16 MB or more (at most 16 shards), as the retired engine. */
    private static int shardBits(long cacheBytes) {
        int bits = 0;
        while (bits < 4 && (cacheBytes >> (bits + 1)) >= (16L << 20)) {
            bits++;
        }
        return bits;
    }

    /** The options of one column family; the native objects they hold are closed with the database. */
    private ColumnFamilyOptions columnFamilyOptions(Tuning tuning, Cache cache) {
        ColumnFamilyOptions cf = new ColumnFamilyOptions()
                .setWriteBufferSize(tuning.writeBufferBytes())
                .setMaxWriteBufferNumber(3)
                .setMemtablePrefixBloomSizeRatio(0.05)
                .setMemtableWholeKeyFiltering(true)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        if (tuning.pointLookup()) {
            cf.optimizeForPointLookup(tuning.cacheBytes() >> 20);
        } else {
            BloomFilter bloom = new BloomFilter(10, false);
            resources.add(bloom);
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setWholeKeyFiltering(true)
                    .setCacheIndexAndFilterBlocks(tuning.indexAndFiltersInCache())
                    .setPinL0FilterAndIndexBlocksInCache(tuning.indexAndFiltersInCache())
                    .setBlockSize(tuning.blockSizeBytes());
            if (tuning.partitioned()) {
                table.setIndexType(IndexType.kTwoLevelIndexSearch)
                        .setPartitionFilters(true)
                        .setMetadataBlockSize(4096)
                        .setCacheIndexAndFilterBlocksWithHighPriority(true)
                        .setPinTopLevelIndexAndFilter(true);
            }
            if (tuning.blockHashIndex()) {
                table.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash).setDataBlockHashTableUtilRatio(0.75);
            }
            cf.setTableFormatConfig(table);
        }
        if (tuning.noCompressionL0L1()) {
            List<CompressionType> perLevel = new ArrayList<>();
            for (int level = 0; level < 7; level++) {
                perLevel.add(level < 2 ? CompressionType.NO_COMPRESSION : CompressionType.LZ4_COMPRESSION);
            }
            cf.setCompressionPerLevel(perLevel);
        }
        return cf;
    }

    @Override
    public long add(String[] tenants, String[] ids, int n) throws RocksDBException {
        if (n == 0) {
            return 0;
        }
        batch.prepare(tenants, ids, n);
        int u = batch.unique();
        List<byte[]> keys = new ArrayList<>(u);
        for (int k = 0; k < u; k++) {
            keys.add(batch.key(batch.item(k)));
        }
        List<byte[]> stored = db.multiGetAsList(readOptions, keys);
        long added = 0;
        addedByTenant.clear();
        try (WriteBatch wb = new WriteBatch()) {
            for (int k = 0; k < u; k++) {
                if (stored.get(k) == null) {
                    int i = batch.item(k);
                    wb.put(itemsCf, keys.get(k), batch.id(i));
                    addedByTenant.computeIfAbsent(tenants[i], t -> new long[1])[0]++;
                    added++;
                }
            }
            if (added == 0) {
                return 0;
            }
            for (Map.Entry<String, long[]> e : addedByTenant.entrySet()) {
                long now = stored(e.getKey()) + e.getValue()[0];
                e.getValue()[0] = now;
                wb.put(countsCf, e.getKey().getBytes(StandardCharsets.UTF_8), encode(now));
            }
            db.write(writeOptions, wb);
        }
        for (Map.Entry<String, long[]> e : addedByTenant.entrySet()) {
            counts.put(e.getKey(), e.getValue()[0]);
        }
        return added;
    }

    private long stored(String tenant) throws RocksDBException {
        Long c = counts.get(tenant);
        if (c == null) {
            c = decode(db.get(countsCf, tenant.getBytes(StandardCharsets.UTF_8)));
            counts.put(tenant, c);
        }
        return c;
    }

    @Override
    public long count(String tenant) throws RocksDBException {
        return decode(db.get(countsCf, tenant.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public long diskBytes() throws IOException {
        return directoryBytes(dir);
    }

    static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.isRegularFile(p)) {
                        total += Files.size(p);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // deleted by the store meanwhile (a compacted table, an old WAL)
                }
            }
            return total;
        }
    }

    /** Waits until no flush or compaction is running or pending (at most an hour). */
    @Override
    public void settle() throws RocksDBException, InterruptedException {
        db.flushWal(true);
        long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        while (db.getLongProperty("rocksdb.num-running-flushes") > 0
                || db.getLongProperty("rocksdb.num-running-compactions") > 0
                || db.getLongProperty(itemsCf, "rocksdb.mem-table-flush-pending") > 0
                || db.getLongProperty(itemsCf, "rocksdb.compaction-pending") > 0) {
            if (System.nanoTime() > deadline) {
                System.err.println("rocksdb-hashed: compactions still pending after an hour; measuring anyway");
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Sizes, and the block cache misses per looked-up key since the previous call. */
    @Override
    public String describe() throws RocksDBException {
        double keys = Math.max(1, statistics.getAndResetTickerCount(TickerType.NUMBER_MULTIGET_KEYS_READ));
        return String.format(Locale.ROOT,
                "items: %,d B in tables, %,d B in memtables, L0 %s files, block cache %d MB; per lookup: %.3f filter, %.3f index, %.3f data block misses",
                db.getLongProperty(itemsCf, "rocksdb.total-sst-files-size"),
                db.getLongProperty(itemsCf, "rocksdb.cur-size-all-mem-tables"),
                db.getProperty(itemsCf, "rocksdb.num-files-at-level0"),
                db.getLongProperty("rocksdb.block-cache-usage") >> 20,
                statistics.getAndResetTickerCount(TickerType.BLOCK_CACHE_FILTER_MISS) / keys,
                statistics.getAndResetTickerCount(TickerType.BLOCK_CACHE_INDEX_MISS) / keys,
                statistics.getAndResetTickerCount(TickerType.BLOCK_CACHE_DATA_MISS) / keys);
    }

    private void syncWal() {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            System.err.println("rocksdb-hashed: WAL sync failed: " + e.getMessage());
        }
    }

    @Override
    public void close() throws RocksDBException {
        syncer.shutdownNow();
        try {
            syncer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            db.flushWal(true);
        } finally {
            itemsCf.close();
            countsCf.close();
            db.closeE();
            for (AbstractNativeReference r : resources) {
                r.close();
            }
        }
    }

    private static byte[] encode(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static long decode(byte[] b) {
        if (b == null) {
            return 0;
        }
        if (b.length != 8) {
            throw new IllegalStateException("corrupt count value of " + b.length + " bytes");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return v;
    }
}
