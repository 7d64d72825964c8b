package countapp.bench.shootout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;

/**
 * LMDB (through lmdbjava) with the same 16-byte hashed keys as {@link RocksHashed}: DBI {@code items} maps
 * a pair's key to the id's UTF-8 bytes, DBI {@code counts} a tenant's UTF-8 name to its count (8 bytes,
 * big-endian). An add is one write transaction: each distinct pair of the batch, in key order, is put with
 * {@code MDB_NOOVERWRITE}, which says in the same operation whether it was already there; the counts of
 * the tenants that gained pairs are put before the commit.
 *
 * <p>Durability: the environment is opened with {@code MDB_NOSYNC} (with {@code MDB_WRITEMAP}, unless
 * disabled), so a commit only leaves its pages in the OS page cache (in the shared map, or written with
 * {@code pwrite}); that survives a crash of this process. {@code MDB_WRITEMAP} doubled the rate of fresh
 * 100-item batches at 1 M items (130-136 k vs 64-67 k items/s) and cost a little with 90 % repeats
 * (165-229 k vs 211-243 k). With it the data file's length is the whole map size (sparse on disk): copy
 * it with {@code mdb_copy} or a sparse-aware tool. A background thread calls {@code env.sync(true)}
 * once a second. Caveat, from LMDB's documentation of {@code MDB_NOSYNC}: a crash of the system (not of
 * the process) "can corrupt the database or lose the last transactions"; only without {@code MDB_WRITEMAP}
 * and on a file system that preserves write order does it just lose the last transactions. RocksDB's
 * WAL without sync loses at most the unsynced tail.
 *
 * <p>The writer keeps the counts of the tenants it has written in memory, so an add does not read them
 * back; {@link #count} reads the store. Tenant names are LMDB keys, so at most 511 UTF-8 bytes.
 */
final class LmdbHashed implements Candidate, ShootoutHooks {
    /** Virtual address space reserved for the map; the file grows only as pages are used (sparse with WRITEMAP). */
    static final long MAP_SIZE = 64L << 30;
    private static final String DATA_FILE = "data.mdb";
    private static final PutFlags[] NO_OVERWRITE = {PutFlags.MDB_NOOVERWRITE};
    private static final PutFlags[] NO_FLAGS = {};

    private final Path dir;
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> items;
    private final Dbi<ByteBuffer> counts;
    private final HashedBatch batch;
    private final ByteBuffer key = ByteBuffer.allocateDirect(HashedBatch.KEY_BYTES);
    private ByteBuffer value = ByteBuffer.allocateDirect(256);
    private final ByteBuffer tenantKey = ByteBuffer.allocateDirect(511);
    private final ByteBuffer countValue = ByteBuffer.allocateDirect(8);
    /**
     * count() may run on any thread: a key buffer and a read transaction (reset between reads) per thread,
     * per environment (the transaction belongs to this instance's environment, hence not static).
     */
    @SuppressWarnings("ThreadLocalUsage")
    private final ThreadLocal<Reader> readers = new ThreadLocal<>();
    private final Queue<Reader> allReaders = new ConcurrentLinkedQueue<>();
    /** Stored count of each tenant the writer has touched. */
    private final Map<String, Long> storedCounts = new HashMap<>();
    private final Map<String, long[]> addedByTenant = new HashMap<>();
    private final ScheduledExecutorService syncer;

    LmdbHashed(Path dir, boolean writeMap) throws IOException {
        this.dir = dir;
        this.batch = HashedBatch.open(dir);
        EnvFlags[] flags = writeMap
                ? new EnvFlags[] {EnvFlags.MDB_NOSYNC, EnvFlags.MDB_WRITEMAP, EnvFlags.MDB_NOTLS}
                : new EnvFlags[] {EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS};
        this.env = Env.create().setMapSize(MAP_SIZE).setMaxDbs(2).setMaxReaders(126).open(dir.toFile(), flags);
        this.items = env.openDbi("items", DbiFlags.MDB_CREATE);
        this.counts = env.openDbi("counts", DbiFlags.MDB_CREATE);
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lmdb-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(this::sync, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public long add(String[] tenants, String[] ids, int n) {
        if (n == 0) {
            return 0;
        }
        batch.prepare(tenants, ids, n);
        int u = batch.unique();
        long added = 0;
        addedByTenant.clear();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int k = 0; k < u; k++) {
                int i = batch.item(k);
                batch.key(i, key);
                byte[] id = batch.id(i);
                if (value.capacity() < id.length) {
                    value = ByteBuffer.allocateDirect(Math.max(id.length, value.capacity() * 2));
                }
                value.clear();
                value.put(id).flip();
                if (items.put(txn, key, value, NO_OVERWRITE)) {
                    addedByTenant.computeIfAbsent(tenants[i], t -> new long[1])[0]++;
                    added++;
                }
            }
            if (added == 0) {
                return 0; // the transaction is aborted: it changed nothing
            }
            for (Map.Entry<String, long[]> e : addedByTenant.entrySet()) {
                putTenant(tenantKey, e.getKey());
                long now = stored(txn, e.getKey()) + e.getValue()[0];
                e.getValue()[0] = now;
                countValue.clear();
                countValue.putLong(now).flip();
                counts.put(txn, tenantKey, countValue, NO_FLAGS);
            }
            txn.commit();
        }
        for (Map.Entry<String, long[]> e : addedByTenant.entrySet()) {
            storedCounts.put(e.getKey(), e.getValue()[0]);
        }
        return added;
    }

    /** The tenant's count as committed; {@code tenantKey} holds the tenant. */
    private long stored(Txn<ByteBuffer> txn, String tenant) {
        Long c = storedCounts.get(tenant);
        if (c == null) {
            c = decode(counts.get(txn, tenantKey));
            storedCounts.put(tenant, c);
        }
        return c;
    }

    @Override
    public long count(String tenant) {
        Reader r = readers.get();
        if (r == null) {
            r = new Reader(env.txnRead());
            r.txn.reset();
            readers.set(r);
            allReaders.add(r);
        }
        putTenant(r.key, tenant);
        r.txn.renew();
        try {
            return decode(counts.get(r.txn, r.key));
        } finally {
            r.txn.reset();
        }
    }

    private static final class Reader {
        final Txn<ByteBuffer> txn;
        final ByteBuffer key = ByteBuffer.allocateDirect(511);

        Reader(Txn<ByteBuffer> txn) {
            this.txn = txn;
        }
    }

    private static void putTenant(ByteBuffer dst, String tenant) {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        if (t.length == 0 || t.length > dst.capacity()) {
            throw new IllegalArgumentException("an LMDB key holds 1 to 511 bytes; tenant has " + t.length);
        }
        dst.clear();
        dst.put(t).flip();
    }

    private static long decode(ByteBuffer b) {
        if (b == null) {
            return 0;
        }
        if (b.remaining() != 8) {
            throw new IllegalStateException("corrupt count value of " + b.remaining() + " bytes");
        }
        return b.getLong(b.position());
    }

    /**
     * The pages in use (up to the highest page ever used) plus the lock file; with {@code MDB_WRITEMAP}
     * the data file's length is the whole map size but only these pages take disk space.
     */
    @Override
    public long diskBytes() throws IOException {
        long used = (env.info().lastPageNumber + 1) * env.stat().pageSize;
        long data = Math.min(Files.size(dir.resolve(DATA_FILE)), used);
        long other = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().equals(DATA_FILE) && Files.isRegularFile(p)) {
                    other += Files.size(p);
                }
            }
        }
        return data + other;
    }

    /** Writes every dirty page to disk. */
    @Override
    public void settle() {
        env.sync(true);
    }

    @Override
    public String describe() {
        Stat s;
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            s = items.stat(txn);
        }
        long live = s.branchPages + s.leafPages + s.overflowPages;
        return String.format(Locale.ROOT, "items: depth %d, %,d pages live (%.1f B/item) of %,d allocated", s.depth, live,
                (double) live * s.pageSize / Math.max(1, s.entries), env.info().lastPageNumber + 1);
    }

    private void sync() {
        try {
            env.sync(true);
        } catch (RuntimeException e) {
            System.err.println("lmdb: sync failed: " + e);
        }
    }

    @Override
    public void close() {
        syncer.shutdownNow();
        try {
            syncer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            env.sync(true);
        } finally {
            for (Reader r : allReaders) {
                r.txn.renew(); // lmdbjava aborts (frees) only a ready transaction, not a reset one
                r.txn.close();
            }
            env.close();
        }
    }
}
