package countapp.bench.shootout;

import countapp.store.RocksStore;
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
     * Option sets. {@code PROJECT} is what {@code countapp.store.RocksStore} uses today: whole-key bloom
     * filters (10 bits per key) cached with the index blocks, 16 KB blocks, 16 MB write buffers within a
     * 32 MB memtable budget charged to the same 32 MB block cache, a whole-key bloom in each memtable, LZ4
     * then ZSTD at the bottom level. The others change one thing each, except {@code BEST}.
     */
    enum Tuning {
        /** Exactly the project's options. */
        PROJECT("project", 16, 32, 32, 16, false, false, false, false),
        /** No compression on L0 and L1 (LZ4 finds little in random keys and hex ids; ZSTD at the bottom stays). */
        NO_COMPRESSION_L0_L1("nocomp01", 16, 32, 32, 16, true, false, false, false),
        /** 64 MB write buffers, 128 MB memtable budget (the cache grows by the same 96 MB, as it is charged to it). */
        BIG_BUFFERS("bigbuf", 64, 128, 128, 16, false, false, false, false),
        /** 4 KB blocks with a hash index inside each data block (what optimizeForPointLookup sets). */
        BLOCK_HASH_INDEX("hashidx", 16, 32, 32, 4, false, true, false, false),
        /** ColumnFamilyOptions.optimizeForPointLookup(32 MB): its own table options (and cache) replace the project's. */
        POINT_LOOKUP("pointlookup", 16, 32, 32, 16, false, false, true, false),
        /**
         * Partitioned index and filters (two-level index, filter partitions of 4 KB, top level pinned): a
         * lookup that misses the cache reads a 4 KB partition instead of a table's whole filter. At 10 bits
         * per key the filters of 100 M keys take 125 MB, four times the cache.
         */
        PARTITIONED("partitioned", 16, 32, 32, 16, false, false, false, true),
        /** The one kept as {@code rocksdb-hashed}: the project's options until the variants are measured. */
        BEST("best", 16, 32, 32, 16, false, false, false, false);

        private final String suffix;
        final long writeBufferBytes;
        final long memtableBudgetBytes;
        final long cacheBytes;
        final int blockSizeBytes;
        final boolean noCompressionL0L1;
        final boolean blockHashIndex;
        final boolean pointLookup;
        final boolean partitioned;

        Tuning(String suffix, int writeBufferMb, int memtableBudgetMb, int cacheMb, int blockSizeKb,
                boolean noCompressionL0L1, boolean blockHashIndex, boolean pointLookup, boolean partitioned) {
            this.suffix = suffix;
            this.writeBufferBytes = (long) writeBufferMb << 20;
            this.memtableBudgetBytes = (long) memtableBudgetMb << 20;
            this.cacheBytes = (long) cacheMb << 20;
            this.blockSizeBytes = blockSizeKb << 10;
            this.noCompressionL0L1 = noCompressionL0L1;
            this.blockHashIndex = blockHashIndex;
            this.pointLookup = pointLookup;
            this.partitioned = partitioned;
        }

        String suffix() {
            return suffix;
        }
    }

    static {
        // RocksStore loads the JNI library from one shared copy per content hash; RocksDB.loadLibrary() would
        // extract a 15 MB copy per process and leave it behind whenever a process dies without exiting.
        try {
            Class.forName(RocksStore.class.getName(), true, RocksHashed.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
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
    private final HashedBatch batch;
    /** Stored count of each tenant the writer has touched. */
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, long[]> addedByTenant = new HashMap<>();
    private final ScheduledExecutorService syncer;

    RocksHashed(Path dir, Tuning tuning) throws IOException, RocksDBException {
        this.dir = dir;
        this.batch = HashedBatch.open(dir);
        // Shards of at least 16 MB, as RocksStore (a flushed memtable's filter block must fit in one).
        Cache cache = new LRUCache(tuning.cacheBytes, shardBits(tuning.cacheBytes));
        WriteBufferManager wbm = new WriteBufferManager(tuning.memtableBudgetBytes, cache);
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(wbm)
                .setMaxOpenFiles(256)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setMaxLogFileSize(1 << 20)
                .setKeepLogFileNum(2);
        ColumnFamilyOptions items = columnFamilyOptions(tuning, cache);
        ColumnFamilyOptions countOptions = columnFamilyOptions(Tuning.PROJECT, cache);
        resources.addAll(List.of(dbOptions, items, countOptions, wbm, cache, writeOptions, readOptions));
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

    /** log2 of the shard count that keeps shards at 16 MB or more (at most 16 shards), as RocksStore. */
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
                .setWriteBufferSize(tuning.writeBufferBytes)
                .setMaxWriteBufferNumber(3)
                .setMemtablePrefixBloomSizeRatio(0.05)
                .setMemtableWholeKeyFiltering(true)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        if (tuning.pointLookup) {
            cf.optimizeForPointLookup(tuning.cacheBytes >> 20);
        } else {
            BloomFilter bloom = new BloomFilter(10, false);
            resources.add(bloom);
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setWholeKeyFiltering(true)
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true)
                    .setBlockSize(tuning.blockSizeBytes);
            if (tuning.partitioned) {
                table.setIndexType(IndexType.kTwoLevelIndexSearch)
                        .setPartitionFilters(true)
                        .setMetadataBlockSize(4096)
                        .setCacheIndexAndFilterBlocksWithHighPriority(true)
                        .setPinTopLevelIndexAndFilter(true);
            }
            if (tuning.blockHashIndex) {
                table.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash).setDataBlockHashTableUtilRatio(0.75);
            }
            cf.setTableFormatConfig(table);
        }
        if (tuning.noCompressionL0L1) {
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

    @Override
    public String describe() throws RocksDBException {
        return String.format(Locale.ROOT, "items: %,d B in tables, %,d B in memtables, L0 %s files, %s",
                db.getLongProperty(itemsCf, "rocksdb.total-sst-files-size"),
                db.getLongProperty(itemsCf, "rocksdb.cur-size-all-mem-tables"),
                db.getProperty(itemsCf, "rocksdb.num-files-at-level0"),
                "block cache " + (db.getLongProperty("rocksdb.block-cache-usage") >> 20) + " MB");
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
