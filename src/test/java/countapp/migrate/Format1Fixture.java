package countapp.migrate;

import countapp.placement.Partitioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Writes a database folder in format 1 the way the retired RocksDB engine laid it out: {@code countapp.meta}
 * with {@code format=1}, and per partition a RocksDB under {@code <root>/<partition>/} holding an item key per
 * pair and a count key per tenant, each add one atomic batch of both. Half of each partition's pairs are
 * flushed to table files and the rest left in the write-ahead log only, as a worker killed before its
 * memtables were flushed left them, so a reader must see both.
 */
public final class Format1Fixture {
    static {
        RocksDB.loadLibrary();
    }

    private Format1Fixture() {}

    /** Writes {@code idsByTenant} (ids distinct per tenant) as a format-1 database of {@code partitions} partitions. */
    public static void write(Path root, int partitions, Map<String, List<String>> idsByTenant)
            throws IOException, RocksDBException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("countapp.meta"), "# CountApp database metadata: do not edit, the partition "
                + "count is fixed at creation\nformat=1\npartitions=" + partitions + "\n", StandardCharsets.UTF_8);
        Partitioner partitioner = new Partitioner(partitions);
        for (int p = 0; p < partitions; p++) {
            List<Map.Entry<String, List<String>>> mine = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : idsByTenant.entrySet()) {
                if (partitioner.partitionOf(e.getKey()) == p) {
                    mine.add(e);
                }
            }
            if (!mine.isEmpty()) {
                writePartition(root.resolve(Integer.toString(p)), mine);
            }
        }
    }

    private static void writePartition(Path dir, List<Map.Entry<String, List<String>>> tenants)
            throws IOException, RocksDBException {
        Files.createDirectories(dir);
        try (Options options = new Options().setCreateIfMissing(true).setAvoidFlushDuringShutdown(true)
                        .setCompressionType(CompressionType.LZ4_COMPRESSION)
                        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
                WriteOptions writes = new WriteOptions();
                RocksDB db = RocksDB.open(options, dir.toString())) {
            for (boolean firstHalf : new boolean[] {true, false}) {
                for (Map.Entry<String, List<String>> e : tenants) {
                    List<String> ids = e.getValue();
                    int half = ids.size() / 2;
                    List<String> part = firstHalf ? ids.subList(0, half) : ids.subList(half, ids.size());
                    byte[] tenant = e.getKey().getBytes(StandardCharsets.UTF_8);
                    try (WriteBatch batch = new WriteBatch()) {
                        for (String id : part) {
                            batch.put(Format1Keys.itemKey(tenant, id), new byte[0]);
                        }
                        long stored = firstHalf ? half : ids.size();
                        batch.put(Format1Keys.countKey(tenant), Format1Keys.encodeCount(stored));
                        db.write(writes, batch);
                    }
                }
                if (firstHalf) {
                    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                        db.flush(flush);
                    }
                }
            }
        }
    }

    /** Overwrites one tenant's stored count, as a damaged folder would hold it. */
    public static void storeCount(Path root, int partitions, String tenant, long count) throws RocksDBException {
        Path dir = root.resolve(Integer.toString(new Partitioner(partitions).partitionOf(tenant)));
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString())) {
            db.put(Format1Keys.countKey(tenant.getBytes(StandardCharsets.UTF_8)), Format1Keys.encodeCount(count));
        }
    }
}
