package countapp.migrate;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One partition folder of a format-1 database (a RocksDB), opened read-only: the original is never
 * changed, and writes its last owner left only in the RocksDB write-ahead log are read too (a read-only
 * open replays it in memory). The only place of the product that reads RocksDB.
 */
final class Format1Partition implements AutoCloseable {
    /** Receives each stored pair. */
    interface PairSink {
        void accept(String tenant, String id);
    }

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Options options;
    private final RocksDB db;

    private Format1Partition(Path dir, Options options, RocksDB db) {
        this.dir = dir;
        this.options = options;
        this.db = db;
    }

    static Format1Partition open(Path dir) {
        Options options = new Options();
        try {
            return new Format1Partition(dir, options, RocksDB.openReadOnly(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw new MigrationException("cannot read the format-1 partition " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Passes every pair of the partition to {@code pairs}, in key order, and returns the counts the partition
     * stored per tenant (written in the same atomic batch as the pairs, so they must agree).
     */
    Map<String, Long> read(PairSink pairs) {
        Map<String, Long> storedCounts = new HashMap<>();
        // One pass over every key: no block is worth keeping in the cache.
        try (ReadOptions read = new ReadOptions().setFillCache(false); RocksIterator it = db.newIterator(read)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key.length > 0 && key[0] == Format1Keys.ITEM) {
                    pairs.accept(Format1Keys.tenantOf(key), Format1Keys.idOf(key));
                } else if (key.length > 0 && key[0] == Format1Keys.COUNT) {
                    storedCounts.put(Format1Keys.tenantOf(key), Format1Keys.decodeCount(it.value()));
                } else {
                    throw new MigrationException(dir + " holds a key that is neither a pair nor a count (kind "
                            + (key.length == 0 ? "empty" : Byte.toString(key[0])) + "): not a CountApp format-1 partition");
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new MigrationException("cannot read the format-1 partition " + dir + ": " + e.getMessage(), e);
        }
        return storedCounts;
    }

    @Override
    public void close() {
        db.close();
        options.close();
    }
}
