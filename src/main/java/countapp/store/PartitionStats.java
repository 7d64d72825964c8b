package countapp.store;

/**
 * Size figures of an open partition, as last read by its writer thread (refreshed every few seconds).
 * Reading them never touches the database, so it is safe from any thread, even after a close.
 */
public interface PartitionStats {
    /** RocksDB's {@code rocksdb.estimate-num-keys}: items plus one count key per tenant, approximately. */
    long estimatedKeys();

    /** RocksDB's {@code rocksdb.total-sst-files-size} in bytes. */
    long sstBytes();
}
